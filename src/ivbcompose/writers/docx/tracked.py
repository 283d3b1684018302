"""Tracked changes: the marks of a renvooi as Word revisions (w:ins, w:del).

python-docx has no API for revisions, so they are built here from the oxml
helpers. Inserted runs go inside a w:ins, deleted runs inside a w:del with
their text as w:delText (Word and LibreOffice read deleted text only there);
a paragraph inserted or deleted as a whole also has its paragraph mark
marked (w:pPr/w:rPr), so accepting or rejecting it leaves no empty paragraph
behind, and a table row its w:trPr. The renderers mark; `finish_revisions`
then numbers every revision and gives it one fixed author and date, so equal
input gives equal bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from docx.oxml.ns import qn

from ...document import Change
from . import oxml
from .oxml import Element

__all__ = ["finish_revisions", "mark_content", "mark_paragraph", "mark_row"]

_TAGS = {"inserted": "w:ins", "deleted": "w:del"}
# Text that a deletion must hold under another name (ECMA-376 17.3.3.7, 17.16.13).
_DELETED_NAMES = {qn("w:t"): qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
_REVISIONS = (qn("w:ins"), qn("w:del"))
# What a paragraph holds that is text of its own (a hyperlink holds runs in turn).
_RUN, _LINK = qn("w:r"), qn("w:hyperlink")


def mark_content(content: Iterable[Element], change: Change) -> list[Element]:
    """`content` (runs, hyperlinks, bookmarks of one paragraph) with its runs marked.

    A run is wrapped where it stands; a hyperlink keeps its place and gets its
    runs wrapped inside it, as the schema wants (w:hyperlink > w:ins > w:r).
    """
    marked = []
    for element in content:
        if element.tag == _RUN:
            marked.append(_wrapped(element, change))
        else:
            if element.tag == _LINK:
                for run in oxml.findall(element, "w:r"):
                    holder = oxml.el(_TAGS[change])
                    run.addprevious(holder)
                    holder.append(_renamed(run, change))
            marked.append(element)
    return marked


def mark_paragraph(p: Element, change: Change, *, mark_end: bool = True) -> Element:
    """Mark every run of paragraph `p`, and (`mark_end`) its paragraph mark too."""
    ppr = oxml.find(p, "w:pPr")
    content = [child for child in p if child is not ppr and child.tag not in _REVISIONS]
    for child in content:
        p.remove(child)
    p.extend(mark_content(content, change))
    if mark_end:
        rpr = oxml.find(oxml.ppr_of(p), "w:rPr")
        if rpr is None:
            rpr = oxml.insert_ordered(oxml.ppr_of(p), oxml.el("w:rPr"), oxml.PPR_ORDER)
        rpr.insert(0, oxml.el(_TAGS[change]))
    return p


def mark_row(tr: Element, change: Change) -> None:
    """Mark a table row inserted or deleted as a whole, with the text of its cells.

    A cell's last paragraph mark stays unmarked: every cell must end in one.
    """
    tr_pr = oxml.find(tr, "w:trPr")
    if tr_pr is None:
        tr_pr = oxml.el("w:trPr")
        tr.insert(0, tr_pr)
    # w:ins and w:del come after all other row properties (CT_TrPr).
    tr_pr.append(oxml.el(_TAGS[change]))
    for cell in oxml.findall(tr, "w:tc"):
        paragraphs = oxml.findall(cell, "w:p")
        for index, p in enumerate(paragraphs):
            mark_paragraph(p, change, mark_end=index < len(paragraphs) - 1)


def finish_revisions(body: Element, author: str, when: dt.datetime, first_id: int) -> None:
    """Number the revisions in document order from `first_id`, all by `author` at `when`.

    The ids follow the bookmarks' (Word wants annotation ids unique); the author
    is the document's ("Gemeente <name>", its metadata) and the time the build's fixed one.
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for number, revision in enumerate(body.iter(*_REVISIONS), start=first_id):
        revision.set(qn("w:id"), str(number))
        revision.set(qn("w:author"), author)
        revision.set(qn("w:date"), stamp)


def _wrapped(run: Element, change: Change) -> Element:
    return oxml.el(_TAGS[change], None, _renamed(run, change))


def _renamed(run: Element, change: Change) -> Element:
    """The run, its text renamed to deleted text when it is a deletion."""
    if change == "deleted":
        for node in run.iter(*_DELETED_NAMES):
            node.tag = _DELETED_NAMES[node.tag]
    return run
