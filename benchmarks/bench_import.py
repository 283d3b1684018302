"""Benchmark: reading a large StatLine export streams, so memory follows the figures kept.

Run with `python benchmarks/bench_import.py [rows]`: it writes a monthly export of
`rows` rows (default two million, about 90 MB) for municipalities that are not
members and reports the time and peak memory of reading it.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from ivbcompose.figures.exports import read_export


def write_export(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write('"ID";"SoortMisdrijf";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"\r\n')
        for number in range(rows):
            region = f"GM{number // 120 % 400:04d}"
            out.write(f'{number};"0.0.0 ";"{region}";"20{10 + number // 12 % 10}MM'
                      f'{number % 12 + 1:02d}";{number % 97}\r\n')


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "47022NED-export.csv"
        write_export(path, rows)
        size = path.stat().st_size
        tracemalloc.start()
        start = time.perf_counter()
        export = read_export(path, table="47022NED")
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"{rows} rows ({size / 1e6:.0f} MB) in {elapsed:.1f} s, {len(export.series)} series, "
          f"peak {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
