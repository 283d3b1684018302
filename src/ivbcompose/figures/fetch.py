"""`import-figures --fetch <table>`: read a table straight from the CBS OData API.

Only the rows of the members and of Nederland are asked for. The answers are
saved as the files `exports.read_export` reads (the TypedDataSet and its
dimensions beside it), so a fetched table goes through the same checks as a
downloaded one. The API's address can be set with IVBCOMPOSE_CBS_ODATA (the
tests point it at a local server).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..i18n import tr
from .exports import ExportError

__all__ = ["DEFAULT_API", "fetch_table"]

DEFAULT_API = "https://opendata.cbs.nl/ODataApi/odata"
_DIMENSIONS = ("RegioS", "Perioden", "SoortMisdrijf", "WijkenEnBuurten")
_TIMEOUT = 30


def fetch_table(table: str, regions: list[str], folder: Path) -> Path:
    """Download `table` for `regions` (CBS codes) into `folder`; the TypedDataSet's path."""
    if not re.fullmatch(r"\d{5}[A-Z]{3}", table):
        raise ExportError(table, None, tr("'{table}' is not a CBS table id", table=table),
                          tr("write the id as StatLine shows it, e.g. 83648NED"))
    base = os.environ.get("IVBCOMPOSE_CBS_ODATA", DEFAULT_API).rstrip("/")
    wanted = " or ".join(f"substringof('{code}',RegioS)" for code in regions)
    query = urllib.parse.urlencode({"$filter": wanted, "$format": "json"})
    data = _get(f"{base}/{table}/TypedDataSet?{query}", table)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{table}.json"
    target.write_bytes(data)
    for name in ("TableInfos", "DataProperties", *_DIMENSIONS):
        try:
            answer = _get(f"{base}/{table}/{name}?$format=json", table)
        except ExportError:
            continue  # a table without this dimension
        (folder / f"{name}.json").write_bytes(answer)
    return target


def _get(url: str, table: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            data: bytes = response.read()
    except urllib.error.HTTPError as error:
        raise ExportError(table, None, tr("the CBS API answered {code} for {url}",
                                          code=error.code, url=url),
                          tr("check the table id, or download the export by hand")) from None
    except (urllib.error.URLError, OSError) as error:
        raise ExportError(table, None, tr("cannot reach the CBS API ({reason})",
                                          reason=str(error)),
                          tr("without a network, download the export in StatLine and import "
                             "the file")) from None
    try:
        json.loads(data)
    except ValueError:
        raise ExportError(table, None,
                          tr("the CBS API did not answer JSON for {url}", url=url),
                          tr("try again later; or download the export in StatLine and import "
                             "the file")) from None
    return data
