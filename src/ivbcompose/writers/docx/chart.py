"""Charts as native Word charts: a DrawingML chart part and the inline drawing that shows it.

A native chart is vector in the PDF, sharp at any zoom, and a communications
department can restyle it in Word; it also spares the build matplotlib. The
data is written into the chart itself as literals (c:strLit, c:numLit), as
Excel writes a series of constants, and no workbook is embedded (that would
take an .xlsx writer): a reference (c:numRef) would point at cells that are
not there, with only its cache to draw from. LibreOffice draws either alike. A
missing value is left out, so the line shows a gap. The look follows the PNG
of the web page (`writers/charts.py`): the same colours and markers,
horizontal grid lines, no frame, the legend below, no title (the caption
paragraph under the chart is its title).
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.parts.document import DocumentPart

from ...document import Chart
from ..charts import COLOURS, MARKERS
from . import oxml
from .oxml import Element

__all__ = ["CHART_URI", "add_chart", "document_font"]

CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_EMU_PER_CM = 360000
_EMU_PER_PT = 12700
_HEIGHT_RATIO = 0.45  # of the width, as the page plan (pages.py) reserves it
_LINE_PT = 1.8
_MARKER_PT = 5
_GRID_PT = 0.6
_AXIS_PT = 0.75
_FONT_SIZE = "800"  # 8 pt, in hundredths
_TEXT = "404040"
_GRID = "D9D9D9"
_AXIS = "7F7F7F"
# "#,##0" would show the thousands separator of the machine's locale: a comma from
# LibreOffice on a build server. Literal dots keep the axis Dutch on every machine.
_DUTCH_WHOLE_NUMBER = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"
_AXIS_IDS = ("1001", "1002")  # category, value; any pair that differs


def add_chart(part: DocumentPart, chart: Chart, *, font: str | None) -> Element:
    """Add `chart` to the package as a chart part of `part`; return the wp:inline showing it.

    Parts are numbered in the order charts are added (chart1.xml, chart2.xml,
    …), which is document order, so the same document gives the same package.
    `font` is the typeface of the chart's text (None: the theme's).
    """
    package = part.package
    partname = package.next_partname("/word/charts/chart%d.xml")
    chart_part = XmlPart(partname, CT.DML_CHART, _chart_space(chart, font), package)
    rel_id = part.relate_to(chart_part, RT.CHART)
    number = partname.idx
    return _inline(chart, rel_id, part.next_id, f"Grafiek {number}")


def document_font(styles: Element, normal_style_id: str) -> str | None:
    """The typeface of body text: the Normal style's, else the document defaults'."""
    for rpr_path in (f"w:style[@w:styleId='{normal_style_id}']/w:rPr/w:rFonts",
                     "w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        for fonts in styles.xpath(rpr_path):
            if fonts.get(qn("w:ascii")):
                return str(fonts.get(qn("w:ascii")))
    return None


def _inline(chart: Chart, rel_id: str, shape_id: int, name: str) -> Element:
    width = round(chart.width_cm * _EMU_PER_CM)
    height = round(chart.width_cm * _HEIGHT_RATIO * _EMU_PER_CM)
    inline = parse_xml(
        f'<wp:inline {nsdecls("wp", "a", "c", "r")} distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:docPr id="0" name=""/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{rel_id}"/>'
        "</a:graphicData></a:graphic></wp:inline>")
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", name)
    doc_pr.set("descr", chart.alt_text)
    return inline


# -- the chart part ------------------------------------------------------------------------


def _chart_space(chart: Chart, font: str | None) -> Element:
    space = parse_xml(f"<c:chartSpace {nsdecls('c', 'a', 'r')}/>")
    space.extend([
        _val("c:date1904", "0"), _val("c:lang", "nl-NL"), _val("c:roundedCorners", "0"),
        _el("c:chart",
            _val("c:autoTitleDeleted", "1"),
            _plot_area(chart, font),
            _el("c:legend", _val("c:legendPos", "b"), _val("c:overlay", "0")),
            _val("c:plotVisOnly", "1"),
            _val("c:dispBlanksAs", "gap")),
        _shape(fill=None, line=None),
        _text_properties(font),
    ])
    return space


def _plot_area(chart: Chart, font: str | None) -> Element:
    category_axis, value_axis = _AXIS_IDS
    lines = _el("c:lineChart", _val("c:grouping", "standard"), _val("c:varyColors", "0"))
    for index, (label, values) in enumerate(chart.series):
        lines.append(_series(index, label, chart.categories, values))
    lines.extend([_val("c:marker", "1"), _val("c:axId", category_axis),
                  _val("c:axId", value_axis)])
    return _el("c:plotArea", _el("c:layout"), lines,
               _category_axis(category_axis, value_axis),
               _value_axis(value_axis, category_axis, chart.y_label, font),
               _shape(fill=None, line=None))


def _series(index: int, label: str, categories: tuple[str, ...],
            values: tuple[float | None, ...]) -> Element:
    colour = COLOURS[index % len(COLOURS)].lstrip("#").upper()
    return _el(
        "c:ser", _val("c:idx", str(index)), _val("c:order", str(index)),
        _el("c:tx", _text("c:v", label)),
        _shape(fill=None, line=colour, width_pt=_LINE_PT, round_join=True),
        _el("c:marker", _val("c:symbol", MARKERS[index % len(MARKERS)]),
            _val("c:size", str(_MARKER_PT)),
            _shape(fill=colour, line=colour, width_pt=0.75)),
        _el("c:cat", _string_literal(categories)),
        _el("c:val", _number_literal(values)),
        _val("c:smooth", "0"))


def _string_literal(texts: tuple[str, ...]) -> Element:
    literal = _el("c:strLit", _val("c:ptCount", str(len(texts))))
    for index, text in enumerate(texts):
        literal.append(_el("c:pt", _text("c:v", text), idx=str(index)))
    return literal


def _number_literal(values: tuple[float | None, ...]) -> Element:
    literal = _el("c:numLit", _text("c:formatCode", "General"),
                  _val("c:ptCount", str(len(values))))
    for index, value in enumerate(values):
        if value is not None:  # left out, not zero: the line breaks there
            literal.append(_el("c:pt", _text("c:v", _number(value)), idx=str(index)))
    return literal


def _number(value: float) -> str:
    """The shortest text that reads back as `value`, as a spreadsheet writes it (19.6, 580)."""
    return repr(float(value)).removesuffix(".0")


def _category_axis(axis_id: str, cross_id: str) -> Element:
    return _el(
        "c:catAx", _val("c:axId", axis_id), _el("c:scaling", _val("c:orientation", "minMax")),
        _val("c:delete", "0"), _val("c:axPos", "b"),
        _el("c:numFmt", formatCode="General", sourceLinked="1"),
        _val("c:majorTickMark", "none"), _val("c:minorTickMark", "none"),
        _val("c:tickLblPos", "nextTo"),
        _shape(fill=None, line=_AXIS, width_pt=_AXIS_PT),
        _val("c:crossAx", cross_id), _val("c:crosses", "autoZero"), _val("c:auto", "1"),
        _val("c:lblAlgn", "ctr"), _val("c:lblOffset", "100"), _val("c:noMultiLvlLbl", "0"))


def _value_axis(axis_id: str, cross_id: str, title: str, font: str | None) -> Element:
    axis = _el(
        "c:valAx", _val("c:axId", axis_id),
        _el("c:scaling", _val("c:orientation", "minMax"), _val("c:min", "0")),
        _val("c:delete", "0"), _val("c:axPos", "l"),
        _el("c:majorGridlines", _shape(fill=None, line=_GRID, width_pt=_GRID_PT)))
    if title:
        axis.append(_axis_title(title, font))
    axis.extend([
        _el("c:numFmt", formatCode=_DUTCH_WHOLE_NUMBER, sourceLinked="0"),
        _val("c:majorTickMark", "none"), _val("c:minorTickMark", "none"),
        _val("c:tickLblPos", "nextTo"),
        _shape(fill=None, line=_AXIS, width_pt=_AXIS_PT),
        _val("c:crossAx", cross_id), _val("c:crosses", "autoZero"),
        _val("c:crossBetween", "between")])
    return axis


def _axis_title(title: str, font: str | None) -> Element:
    run_properties = _run_properties("a:rPr", font)
    text = _el("a:t")
    text.text = title
    rich = _el("c:rich", _el("a:bodyPr", rot="-5400000", vert="horz"), _el("a:lstStyle"),
               _el("a:p", _el("a:pPr", _run_properties("a:defRPr", font)),
                   _el("a:r", run_properties, text)))
    return _el("c:title", _el("c:tx", rich), _val("c:overlay", "0"))


def _text_properties(font: str | None) -> Element:
    """The default text of the whole chart: labels, legend, axis title."""
    return _el("c:txPr", _el("a:bodyPr"), _el("a:lstStyle"),
               _el("a:p", _el("a:pPr", _run_properties("a:defRPr", font)),
                   _el("a:endParaRPr", lang="nl-NL")))


def _run_properties(tag: str, font: str | None) -> Element:
    properties = _el(tag, _fill(_TEXT), lang="nl-NL", sz=_FONT_SIZE, b="0")
    if font is not None:
        properties.extend([_el("a:latin", typeface=font), _el("a:cs", typeface=font)])
    return properties


def _shape(*, fill: str | None, line: str | None, width_pt: float = 0.75,
           round_join: bool = False) -> Element:
    """c:spPr: a solid fill or none, a solid line or none."""
    outline = _el("a:ln")
    if line is None:
        outline.append(_el("a:noFill"))
    else:
        outline.set("w", str(round(width_pt * _EMU_PER_PT)))
        outline.set("cap", "rnd")
        outline.append(_fill(line))
        if round_join:
            outline.append(_el("a:round"))
    return _el("c:spPr", _fill(fill) if fill is not None else _el("a:noFill"), outline)


def _fill(colour: str) -> Element:
    return _el("a:solidFill", _el("a:srgbClr", val=colour))


def _val(tag: str, value: str) -> Element:
    return _el(tag, val=value)


def _text(tag: str, text: str) -> Element:
    element = _el(tag)
    element.text = text
    return element


def _el(tag: str, *children: Element, **attrs: str) -> Element:
    """A DrawingML element; its attributes are unqualified, unlike WordprocessingML's."""
    element = oxml.el(tag, None, *children)
    for name, value in attrs.items():
        element.set(name, value)
    return element
