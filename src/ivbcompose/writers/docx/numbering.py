"""Numbering definitions (numbering.xml): heading numbers, bullets and numbered lists.

Word numbers headings and list items itself from these definitions, so the
text never holds a typed "2.1". Each numbered list gets its own w:num that
restarts at 1; bullets share one.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

from . import oxml
from .oxml import Element

__all__ = ["ListNumbering", "Numbering", "install_numbering"]

_LEVELS = range(9)
_BULLETS = ("\u2022", "\u2013", "\u25aa")  # bullet, en dash, small square
_ORDERED_FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))
_HEADING_INDENT = 851  # 1.5 cm: numbers hang in front of a common text edge
_LIST_STEP = 397  # 0.7 cm per list level, for bullets and numbers alike


@dataclass(frozen=True)
class ListNumbering:
    """The ids the writer needs to number headings and lists."""

    heading_num: int
    bullet_num: int
    ordered_abstract: int


class Numbering:
    """Appends definitions to a w:numbering element, continuing its id sequences.

    One instance lives for one render; it is the only place that hands out ids.
    """

    def __init__(self, numbering: Element) -> None:
        self._root = numbering
        self._next_abstract = 1 + max(
            (int(a.get(qn("w:abstractNumId"), "0"))
             for a in oxml.findall(numbering, "w:abstractNum")), default=-1)
        self._next_num = 1 + max(
            (int(n.get(qn("w:numId"), "0")) for n in oxml.findall(numbering, "w:num")),
            default=0)

    def add_abstract(self, levels: str, *, multilevel: bool) -> int:
        """Add an abstractNum made of `levels` (w:lvl XML); return its id."""
        abstract_id = self._next_abstract
        self._next_abstract += 1
        kind = "multilevel" if multilevel else "hybridMultilevel"
        (abstract,) = oxml.parse_w(
            f'<w:abstractNum w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="{kind}"/>{levels}</w:abstractNum>'
        )
        anchors = oxml.findall(self._root, "w:abstractNum") or oxml.findall(
            self._root, "w:numPicBullet")
        if anchors:
            anchors[-1].addnext(abstract)
        else:
            self._root.insert(0, abstract)
        return abstract_id

    def add_num(self, abstract_id: int, *, restart: bool = False) -> int:
        """Add a list instance of `abstract_id`; `restart` makes every level start anew."""
        num_id = self._next_num
        self._next_num += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
            for level in _LEVELS
        ) if restart else ""
        (num,) = oxml.parse_w(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            f"{overrides}</w:num>"
        )
        nums = oxml.findall(self._root, "w:num")
        cleanup = oxml.find(self._root, "w:numIdMacAtCleanup")
        if nums:
            nums[-1].addnext(num)
        elif cleanup is not None:
            cleanup.addprevious(num)
        else:
            self._root.append(num)
        return num_id


def install_numbering(
    numbering: Numbering, heading_styles: tuple[str, str, str] | None
) -> ListNumbering:
    """Add the house definitions; link heading levels to `heading_styles` ids if given."""
    heading_abstract = numbering.add_abstract(_heading_levels(heading_styles), multilevel=True)
    bullet_abstract = numbering.add_abstract(_bullet_levels(), multilevel=False)
    ordered_abstract = numbering.add_abstract(_ordered_levels(), multilevel=False)
    return ListNumbering(
        heading_num=numbering.add_num(heading_abstract),
        bullet_num=numbering.add_num(bullet_abstract),
        ordered_abstract=ordered_abstract,
    )


def _lvl(level: int, fmt: str, text: str, left: int, hanging: int,
         style_id: str | None = None, rpr: str = "") -> str:
    style = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{style}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


def _heading_levels(style_ids: tuple[str, str, str] | None) -> str:
    levels = []
    for level in _LEVELS:
        text = ".".join(f"%{n + 1}" for n in range(level + 1))
        style = style_ids[level] if style_ids and level < len(style_ids) else None
        levels.append(_lvl(level, "decimal", text, _HEADING_INDENT, _HEADING_INDENT, style))
    return "".join(levels)


def _bullet_levels() -> str:
    font = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr>'
    return "".join(
        _lvl(level, "bullet", _BULLETS[level % len(_BULLETS)], _LIST_STEP * (level + 1),
             _LIST_STEP, rpr=font)
        for level in _LEVELS
    )


def _ordered_levels() -> str:
    levels = []
    for level in _LEVELS:
        fmt, text = _ORDERED_FORMATS[level % len(_ORDERED_FORMATS)]
        levels.append(_lvl(level, fmt, text.format(n=level + 1), _LIST_STEP * (level + 1),
                           _LIST_STEP))
    return "".join(levels)
