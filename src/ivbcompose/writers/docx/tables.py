"""Tables: a numbered caption above, a header row that repeats, notes below.

Dutch policy documents put "Tabel N: …" above the table; the number is a real
SEQ field (so Word can build a list of tables) whose result is already filled.
A table without a caption gets no caption paragraph and no number; its
bookmark and review comment go on its first header cell instead. In a renvooi,
a table or row inserted or deleted as a whole is a tracked change of rows, and
changed words in the caption, header, cells and notes are marked one by one.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from ...document import Change, Column, Row, Span, Table
from . import oxml
from .columns import column_widths
from .context import Context, State
from .inline import span_content
from .oxml import Element
from .styles import HOUSE_COLOUR
from .tracked import mark_content, mark_paragraph, mark_row

__all__ = ["render_table"]

_INDENT_STEP = 284  # 0.5 cm per indent level of a part-row
_TOTAL_RULE = 'w:val="single" w:sz="6" w:space="0" w:color="7F7F7F"'


def render_table(table: Table, ctx: Context, state: State) -> list[Element]:
    """Caption paragraph (if any), the table, and one small-print paragraph per note."""
    number: int | None = None
    if table.caption is not None:
        state.table_count += 1
        number = state.table_count
    widths = column_widths(table, ctx.text_width)
    tbl = oxml.el("w:tbl", None, _table_properties(table, number, ctx),
                  oxml.el("w:tblGrid", None, *(oxml.el("w:gridCol", {"w:w": str(w)})
                                               for w in widths)))
    header = _header_row(table.columns, widths, ctx)
    if table.change:
        mark_row(header, table.change)
    tbl.append(header)
    for row, tr in zip(table.rows, _body_rows(table, widths, ctx), strict=True):
        change = table.change or row.change
        if change:
            mark_row(tr, change)
        tbl.append(tr)
    notes = _notes(table, ctx)
    if number is not None:
        caption = _caption(table, number, ctx, state)
        if table.change:
            mark_paragraph(caption, table.change)
        elements = [caption, tbl, *notes]
    else:
        # No caption: the first header cell carries the bookmark and the review comment.
        caption = header.find(f".//{qn('w:p')}")
        if caption is not None and table.anchor and table.anchor in ctx.anchors:
            _bookmark_content(caption, state.bookmark_id(), ctx.anchors[table.anchor])
        elements = [tbl, *notes]
    if table.review and caption is not None:
        state.reviews.append((caption, table.review))
    return elements


def caption_text(table: Table, number: int | None) -> str:
    """The caption as a reader sees it: "Tabel 3: Criminaliteitscijfers".

    A table without a caption is named by its column labels: "Jaar, Aantal".
    """
    if table.caption is None or number is None:
        return ", ".join(column.label for column in table.columns if column.label) or "Tabel"
    return f"Tabel {number}: {table.caption}"


def _notes(table: Table, ctx: Context) -> list[Element]:
    """One small-print paragraph per note; in a renvooi, deleted notes too, marked."""
    if not table.notes_marked:
        notes = [oxml.paragraph(ctx.styles["note"], *span_content((Span(text),), ctx))
                 for text in table.notes if text]
        if table.change:
            for p in notes:
                mark_paragraph(p, table.change)
        return notes
    notes = []
    for spans in table.notes_marked:
        content = span_content(spans, ctx)
        if not content:
            continue
        p = oxml.paragraph(ctx.styles["note"], *content)
        changes = {span.change for span in spans if span.text}
        whole = changes.pop() if len(changes) == 1 else None
        if whole:
            # A note inserted or deleted whole: its paragraph goes with it.
            mark_paragraph(p, whole)
        notes.append(p)
    return notes


def _caption(table: Table, number: int, ctx: Context, state: State) -> Element:
    if table.caption_marked:
        text = [oxml.run(": "), *span_content(table.caption_marked, ctx)]
    else:
        text = [oxml.run(f": {table.caption}")]
    content = [
        oxml.run("Tabel "),
        *oxml.complex_field("SEQ Tabel \\* ARABIC", str(number)),
        *text,
    ]
    if table.anchor and table.anchor in ctx.anchors:
        content = oxml.bookmark(state.bookmark_id(), ctx.anchors[table.anchor], *content)
    return oxml.paragraph(ctx.styles["caption"], *content)


def _bookmark_content(p: Element, bookmark_id: int, name: str) -> None:
    """Wrap everything after the paragraph properties of `p` in a bookmark."""
    ppr = oxml.find(p, "w:pPr")
    content = [child for child in p if child is not ppr]
    for child in content:
        p.remove(child)
    p.extend(oxml.bookmark(bookmark_id, name, *content))


def _table_properties(table: Table, number: int | None, ctx: Context) -> Element:
    title = caption_text(table, number)
    description = " ".join((table.caption or title, *table.notes))
    (tbl_pr,) = oxml.parse_w(
        f'<w:tblPr><w:tblStyle w:val="{ctx.styles["table"]}"/>'
        f'<w:tblW w:w="{ctx.text_width}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    )
    # Accessibility: the caption and description screen readers announce.
    tbl_pr.append(oxml.el("w:tblCaption", {"w:val": title[:255]}))
    tbl_pr.append(oxml.el("w:tblDescription", {"w:val": description[:1000]}))
    return tbl_pr


def _header_row(columns: tuple[Column, ...], widths: list[int], ctx: Context) -> Element:
    """The header row, repeated on every page.

    The house table style fills it, but LibreOffice ignores a table style's
    first-row formatting, so our own style's look is also set on the cells.
    A reference document's table style is left to do its work alone.
    """
    (tr_pr,) = oxml.parse_w("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    cells = [_cell(column.label, column, width, ctx, header=ctx.styles.is_ours("table"),
                   marked=column.marked)
             for column, width in zip(columns, widths, strict=True)]
    for p in (p for cell in cells for p in oxml.findall(cell, "w:p")):
        # The header row keeps with the first row below it (and so does the caption
        # above, by its style): a page never ends in a table's caption and header.
        oxml.insert_ordered(oxml.ppr_of(p), oxml.el("w:keepNext"), oxml.PPR_ORDER)
    return oxml.el("w:tr", None, tr_pr, *cells)


def _body_rows(table: Table, widths: list[int], ctx: Context) -> list[Element]:
    """The body rows: those without a renvooi's words made as XML text and parsed at once
    (a large basisteam's documents hold thousands of rows, and making their elements one
    by one was most of the Word writer's time), the others element by element."""
    plain = {index: _plain_row(row, table.columns, widths, ctx)
             for index, row in enumerate(table.rows) if not row.marked}
    parsed = iter(oxml.parse_w_once("".join(plain.values())) if plain else ())
    return [next(parsed) if index in plain else _marked_row(row, table.columns, widths, ctx)
            for index, row in enumerate(table.rows)]


def _marked_row(row: Row, columns: tuple[Column, ...], widths: list[int],
                ctx: Context) -> Element:
    (tr_pr,) = oxml.parse_w("<w:trPr><w:cantSplit/></w:trPr>")
    cells = []
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        text = row.cells[index] if index < len(row.cells) else ""
        marked = row.marked[index] if index < len(row.marked) else ()
        indent = row.indent * _INDENT_STEP if index == 0 else 0
        cells.append(_cell(text, column, width, ctx, bold=row.strong, indent=indent,
                           rule_above=row.strong, marked=marked))
    return oxml.el("w:tr", None, tr_pr, *cells)


def _plain_row(row: Row, columns: tuple[Column, ...], widths: list[int],
               ctx: Context) -> str:
    """A row without a renvooi's words as XML, exactly as `_cell` makes each cell."""
    style = oxml.escape(ctx.styles["table_text"], quote=True)
    borders = f"<w:tcBorders><w:top {_TOTAL_RULE}/></w:tcBorders>" if row.strong else ""
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if row.strong else ""
    cells = []
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        text = row.cells[index] if index < len(row.cells) else ""
        indent = row.indent * _INDENT_STEP if index == 0 else 0
        paragraph = (f'<w:pStyle w:val="{style}"/>'
                     + (f'<w:ind w:left="{indent}"/>' if indent else "")
                     + ('<w:jc w:val="right"/>' if column.align == "right" else ""))
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}</w:tcPr>'
                     f"<w:p><w:pPr>{paragraph}</w:pPr>"
                     f"{oxml.run_xml(text, rpr) if text else ''}</w:p></w:tc>")
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"


def _cell(text: str, column: Column, width: int, ctx: Context, *, bold: bool = False,
          indent: int = 0, rule_above: bool = False, header: bool = False,
          marked: tuple[Span, ...] = ()) -> Element:
    tc_pr = oxml.el("w:tcPr", None, oxml.el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if rule_above:
        tc_pr.append(oxml.el("w:tcBorders", None, *oxml.parse_w(f"<w:top {_TOTAL_RULE}/>")))
    if header:
        tc_pr.extend(oxml.parse_w(
            f'<w:shd w:val="clear" w:color="auto" w:fill="{HOUSE_COLOUR}"/>'))
        content = [_header_run(span.text, span.change)
                   for span in marked or (Span(text),) if span.text]
    else:
        content = span_content(marked or (Span(text),), ctx, bold=bold)
    p = oxml.paragraph(ctx.styles["table_text"], *content)
    ppr = oxml.ppr_of(p)
    if indent:
        oxml.set_child(ppr, "w:ind", oxml.PPR_ORDER, left=str(indent))
    if column.align == "right":
        oxml.set_child(ppr, "w:jc", oxml.PPR_ORDER, val="right")
    return oxml.el("w:tc", None, tc_pr, p)


def _header_run(text: str, change: Change | None) -> Element:
    """A run of the house style's header cell: white bold on the house colour."""
    (rpr,) = oxml.parse_w('<w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>')
    run = oxml.run(text, rpr)
    return mark_content([run], change)[0] if change else run
