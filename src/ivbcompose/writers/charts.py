"""Charts as PNG images, drawn by matplotlib without a display, and the palette of every chart.

The PNG is the web page's; the Word writer draws the same chart natively
(`docx/chart.py`) in the same colours and markers, so both read alike.
The same chart gives the same bytes: the Agg renderer, matplotlib's own
DejaVu Sans, a fixed size and resolution, and no metadata that changes
(matplotlib otherwise stamps its version as 'Software').
"""

from __future__ import annotations

import io
import warnings

from ..document import Chart

__all__ = ["COLOURS", "MARKERS", "render_chart"]

# The house style's restrained blue, then colours that stay apart in grey print too: one
# for each of a chart's lines (document.CHART_LINES).
COLOURS = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235", "#7030a0")
# A shape per line as well, so lines are told apart without colour. Named as DrawingML
# names them (ST_MarkerStyle), which has fewer shapes than matplotlib.
MARKERS = ("circle", "square", "triangle", "diamond", "x")
_MATPLOTLIB_MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "x": "x"}


def render_chart(chart: Chart, dpi: int = 150) -> bytes:
    """A PNG of `chart`: one line per series, a legend, values in Dutch style."""
    # Loaded here, and without pyplot (its state machine is never used: one Figure, gone
    # with the function), because matplotlib costs most documents' builds more than the
    # rest of the Word writer does.
    from matplotlib import ticker
    from matplotlib.figure import Figure

    figure = Figure(figsize=(chart.width_cm / 2.54, chart.width_cm / 2.54 * 0.45), dpi=dpi)
    axes = figure.subplots()
    positions = list(range(len(chart.categories)))
    for index, (label, values) in enumerate(chart.series):
        points = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
        axes.plot([p[0] for p in points], [p[1] for p in points], label=label,
                  color=COLOURS[index % len(COLOURS)],
                  marker=_MATPLOTLIB_MARKERS[MARKERS[index % len(MARKERS)]],
                  linewidth=1.8, markersize=4)
    axes.set_xticks(positions, list(chart.categories))
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(
        ticker.FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", ".")))
    if chart.y_label:
        axes.set_ylabel(chart.y_label, fontsize=8)
    axes.tick_params(labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    axes.legend(fontsize=8, frameon=False, loc="lower left")
    with warnings.catch_warnings():
        # When the labels leave no room to tighten, matplotlib keeps its own margins and
        # says so on stderr, where a reader of the build's output cannot act on it.
        warnings.filterwarnings("ignore", "Tight layout not applied", UserWarning)
        figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
