"""Tests for `ivbcompose.writers.html`: the document IR as one accessible HTML5 page.

The output is parsed back with the standard library's `html.parser` into a small
tree, and its structure is checked against the IR and against the Markdown
writer (heading numbers, table captions): the three fixture documents through
the public API, small hand-built documents for escaping, links, ids, lists,
tables and the logo, and `ivbcompose build --format html` through the CLI.
Nothing here depends on the wording of the example content.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.document import (
    Chart,
    Column,
    Document,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from ivbcompose.project import Project
from ivbcompose.writers import title_page_facts
from ivbcompose.writers.html import render_html
from ivbcompose.writers.markdown import render_markdown

from ..conftest import FIXTURE, documents

MUNICIPALITIES = ("dronten", "noordoostpolder", "urk")
VOID = {"meta", "img", "br", "link", "hr", "input", "source", "wbr"}
# The smallest valid PNG: one transparent pixel.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                       "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


# -- A tree of the page, read back with html.parser ---------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The text content, whitespace collapsed as a browser shows it."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This node and every element below it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def find(self, tag: str) -> Node:
        found = list(self.iter(tag))
        assert found, f"no <{tag}> in <{self.tag}>"
        return found[0]

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class TreeParser(HTMLParser):
    """Collects the page as Nodes; an end tag that does not close the open element fails."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    parser = TreeParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == [parser.root], "unclosed elements"
    assert parser.doctype.lower() == "doctype html"
    [html] = parser.root.elements()
    return html


def meta(page: Node, name: str) -> str:
    [found] = [m for m in page.iter("meta") if m.attrs.get("name") == name]
    return found.attrs["content"]


def md_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# -- The fixture documents ------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    document: Document
    html: str
    page: Node
    markdown: str


@pytest.fixture(scope="module")
def built() -> dict[tuple[str, bool], Built]:
    """Each fixture document, plain and marked for review, as HTML, its tree and Markdown."""
    project = Project(FIXTURE)
    result = {}
    for municipality in MUNICIPALITIES:
        composition = api.compose_municipality(project, municipality)
        for review in (False, True):
            document = api.document_for(project, composition, review=review)
            text = render_html(document)
            result[municipality, review] = Built(document, text, parse(text),
                                                 render_markdown(document))
    return result


@pytest.fixture(params=MUNICIPALITIES)
def doc(request: pytest.FixtureRequest, built: dict[tuple[str, bool], Built]) -> Built:
    return built[request.param, False]


def test_head_carries_the_document_properties(doc: Built) -> None:
    page, metadata = doc.page, doc.document.metadata
    assert page.tag == "html" and page.attrs["lang"] == metadata.language
    head = page.find("head")
    assert {"charset": "utf-8"} in [m.attrs for m in head.iter("meta")]
    assert "width=device-width" in meta(head, "viewport")
    assert head.find("title").text() == metadata.title
    assert meta(head, "description") == metadata.subject
    assert meta(head, "author") == metadata.author
    assert meta(head, "keywords") == ", ".join(metadata.keywords)
    assert head.find("style").text()


def test_title_page_is_a_header_with_one_h1_and_the_facts(doc: Built) -> None:
    page, title_page = doc.page, doc.document.title_page
    assert [h1.text() for h1 in page.iter("h1")] == [title_page.title]
    header = page.find("header")
    assert header.find("h1").text() == title_page.title
    texts = [p.text() for p in header.iter("p")]
    assert texts == [t for t in (title_page.organisation, title_page.subtitle,
                                 title_page.period, title_page.adoption) if t]
    facts = [(div.find("dt").text(), div.find("dd").text()) for div in
             header.find("dl").elements()]
    assert facts == title_page_facts(title_page)


def test_banner_is_a_note_at_the_top(doc: Built) -> None:
    notes = [n for n in doc.page.iter() if n.attrs.get("role") == "note"]
    if doc.document.banner:
        assert [n.text() for n in notes] == [doc.document.banner]
        body = doc.page.find("body").elements()
        assert body.index(notes[0]) < body.index(doc.page.find("header"))
    else:
        assert notes == []


def test_a_heading_element_per_ir_heading_level(doc: Built) -> None:
    headings = [b for b in doc.document.blocks if isinstance(b, Heading)]
    for level, tag in ((1, "h2"), (2, "h3"), (3, "h4")):
        assert len(list(doc.page.iter(tag))) == sum(h.level == level for h in headings)
    assert sum(h.level == 1 for h in headings) > 1


def test_headings_read_as_in_markdown_with_the_same_numbers(doc: Built) -> None:
    markdown = [(len(m[1]) - 1, md_unescape(m[2])) for m in
                re.finditer(r"^(#{2,4}) (.*)$", doc.markdown, re.MULTILINE)]
    outline = [b for b in doc.document.blocks if isinstance(b, Heading | TableOfContents)]
    assert len(markdown) == len(outline)
    expected = [entry for entry, block in zip(markdown, outline, strict=True)
                if isinstance(block, Heading)]
    found = [(int(n.tag[1]) - 1, n.text()) for n in doc.page.find("main").iter()
             if n.tag in ("h2", "h3", "h4")]
    assert found == expected
    assert any(re.match(r"\d+\.\d+ ", text) for _, text in found)
    numbers = [n.find("span").text() for n in doc.page.iter() if n.tag in ("h2", "h3", "h4")
               and n.elements()]
    assert numbers and all(re.fullmatch(r"\d+(\.\d+)*", number) for number in numbers)


def test_every_table_has_caption_header_and_column_scopes(doc: Built) -> None:
    tables = [b for b in doc.document.blocks if isinstance(b, Table)]
    found = list(doc.page.iter("table"))
    assert len(found) == len(tables) > 0
    for table, element in zip(tables, found, strict=True):
        parts = [child.tag for child in element.elements()]
        assert parts == ["caption", "thead", "tbody"]
        headers = list(element.find("thead").iter("th"))
        assert [th.attrs.get("scope") for th in headers] == ["col"] * len(table.columns)
        assert [th.text() for th in headers] == [c.label for c in table.columns]
        assert [("right" in th.classes()) for th in headers] == [
            c.align == "right" for c in table.columns]
        rows = element.find("tbody").elements()
        assert len(rows) == len(table.rows)
        for row, tr in zip(table.rows, rows, strict=True):
            assert ("total" in tr.classes()) == row.strong
            assert ("part" in tr.classes()) == (row.indent > 0)
            assert [td.text() for td in tr.elements()][: len(row.cells)] == [
                " ".join(cell.split()) for cell in row.cells]
        if table.notes:
            block = next(n for n in doc.page.iter("div") if element in n.children)
            notes = [p.text() for p in block.iter("p") if "note" in p.classes()]
            assert notes == [note for note in table.notes if note]


def test_captions_are_numbered_as_in_markdown(doc: Built) -> None:
    markdown = [f"{m[1]}: {md_unescape(m[2])}" for m in
                re.finditer(r"^\*\*(Tabel \d+):\*\* (.*)$", doc.markdown, re.MULTILINE)]
    captions = [c.text() for c in doc.page.iter("caption")]
    assert captions == markdown
    numbers = [int(re.match(r"Tabel (\d+): ", caption)[1]) for caption in captions]
    assert numbers == list(range(1, len(captions) + 1))


def test_charts_and_images_are_embedded_with_alt_text(doc: Built) -> None:
    charts = [b for b in doc.document.blocks if isinstance(b, Chart)]
    images = list(doc.page.iter("img"))
    assert len(images) == len(charts)
    for image in images:
        assert image.attrs["alt"].strip()
        assert image.attrs["src"].startswith("data:image/")
    figures = list(doc.page.iter("figure"))
    assert [f.find("img").attrs["alt"] for f in figures] == [c.alt_text for c in charts]
    assert [f.find("figcaption").text() for f in figures] == [
        f"Grafiek: {c.caption}" for c in charts]
    for figure in figures:
        png = base64.b64decode(figure.find("img").attrs["src"].split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_at_least_one_fixture_document_has_a_chart(built: dict[tuple[str, bool], Built]) -> None:
    assert any(list(b.page.iter("figure")) for b in built.values())


def test_ids_are_unique_and_every_internal_link_resolves(doc: Built) -> None:
    ids = [n.attrs["id"] for n in doc.page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    internal = [a.attrs["href"][1:] for a in doc.page.iter("a")
                if a.attrs.get("href", "").startswith("#")]
    assert internal and set(internal) <= set(ids)
    headings = [n for n in doc.page.iter() if n.tag in ("h2", "h3", "h4")]
    assert all(h.attrs.get("id") for h in headings)
    anchored = [b for b in doc.document.blocks if isinstance(b, Table) and b.anchor]
    assert sum(1 for t in doc.page.iter("table") if "id" in t.attrs) == len(anchored)


def test_contents_is_a_nav_of_nested_links_to_the_headings(doc: Built) -> None:
    [toc] = [b for b in doc.document.blocks if isinstance(b, TableOfContents)]
    [nav] = list(doc.page.iter("nav"))
    labels = [n for n in nav.iter() if n.attrs.get("id") == nav.attrs["aria-labelledby"]]
    assert [n.text() for n in labels] == [toc.title]
    headings = {n.attrs["id"]: (int(n.tag[1]) - 1, n.text()) for n in doc.page.iter()
                if n.tag in ("h2", "h3", "h4")}
    expected = [entry for entry in headings.values() if entry[0] <= toc.depth]

    def entries(node: Node, depth: int) -> Iterator[tuple[int, str]]:
        for li in node.elements():
            assert li.tag == "li"
            link = li.elements()[0]
            target = headings[link.attrs["href"][1:]]
            assert target == (depth, link.text())
            yield target
            for nested in li.elements()[1:]:
                assert nested.tag == "ol"
                yield from entries(nested, depth + 1)

    assert list(entries(nav.find("ol"), 1)) == expected


def test_review_notes_are_labelled_asides(built: dict[tuple[str, bool], Built]) -> None:
    for municipality in MUNICIPALITIES:
        plain, marked = built[municipality, False], built[municipality, True]
        assert not [n for n in plain.page.iter("aside")]
        reviews = [b.review for b in _all_blocks(marked.document.blocks) if b.review]
        asides = list(marked.page.iter("aside"))
        assert len(asides) == len(reviews) > 0
        for aside, review in zip(asides, reviews, strict=True):
            assert "review" in aside.classes() and aside.attrs["aria-label"] == "Opmerking"
            expected = " ".join(f"Opmerking: {line}" for line in review.splitlines()
                                if line.strip())
            assert aside.text() == " ".join(expected.split())


def _all_blocks(blocks: tuple[object, ...]) -> Iterator[Heading | Paragraph | ListBlock | Table]:
    """Blocks that can carry a review note, in the order of the page (a list's note after its
    items' notes)."""
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from _all_blocks(item.blocks)
        if isinstance(block, Heading | Paragraph | ListBlock | Table):
            yield block


def test_footer_and_no_script(doc: Built) -> None:
    assert doc.page.find("footer").text() == " ".join(doc.document.footer.split())
    assert not list(doc.page.iter("script"))
    assert "<script" not in doc.html.lower() and "javascript:" not in doc.html.lower()


def test_output_is_deterministic_and_ends_in_one_newline(doc: Built) -> None:
    assert render_html(doc.document) == doc.html
    assert doc.html.endswith("</html>\n") and not doc.html.endswith("\n\n")


# -- Hand-built documents -------------------------------------------------------------

EVIL = "<script>alert('x & y')</script> & \"quotes\""
TITLE_PAGE = TitlePage(organisation="Gemeente A&B", title="Beleid", subtitle=None,
                       period="2020–2023", status="Concept", version="0.1", date="1 mei 2020")
METADATA = Metadata(title="IVB", subject="Onderwerp", author="Gemeente A&B")


def _doc(*blocks: object, **kwargs: object) -> Document:
    return Document(metadata=METADATA, title_page=TITLE_PAGE, blocks=blocks,  # type: ignore[arg-type]
                    **kwargs)  # type: ignore[arg-type]


def _p(*parts: str | Span, style: str = "body") -> Paragraph:
    return Paragraph(tuple(Span(p) if isinstance(p, str) else p for p in parts),
                     style=style)  # type: ignore[arg-type]


def _main(document: Document) -> Node:
    return parse(render_html(document)).find("main")


def test_text_is_escaped_everywhere() -> None:
    table = Table(EVIL, (Column(EVIL), Column("n", "right")), (Row((EVIL, "1")),),
                  notes=(EVIL,), review=EVIL)
    document = Document(
        metadata=Metadata(title=EVIL, subject=EVIL, author=EVIL, keywords=(EVIL,)),
        title_page=replace(TITLE_PAGE, organisation=EVIL, title=EVIL, subtitle=EVIL,
                           adoption=EVIL, prepared_by=EVIL),
        blocks=(TableOfContents(title=EVIL), Heading(1, EVIL, anchor=EVIL, review=EVIL),
                Paragraph((Span(EVIL, bold=True), Span(EVIL, link="https://x.nl/?a=1&b=<2>"))),
                ListBlock((ListItem((_p(EVIL),)),)), table,
                Chart(EVIL, EVIL, ("2020", "2021"), (("s", (1.0, 2.0)),))),
        banner=EVIL, footer=EVIL)
    text = render_html(document)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(&#x27;x &amp; y&#x27;)&lt;/script&gt;" in text
    assert "&quot;quotes&quot;" in text
    assert 'href="https://x.nl/?a=1&amp;b=&lt;2&gt;"' in text
    page = parse(text)
    assert page.find("title").text() == " ".join(EVIL.split())
    assert meta(page, "keywords") == EVIL
    assert page.find("h2").text() == "1 " + EVIL
    assert page.find("caption").text() == "Tabel 1: " + EVIL
    assert page.find("img").attrs["alt"] == EVIL
    assert page.find("footer").text() == EVIL


def test_inline_formatting_and_links() -> None:
    paragraph = _p("Zie ", Span("vet", bold=True), " en ", Span("schuin", italic=True), ", ",
                   Span("het CCV", link="https://hetccv.nl/"), ", ",
                   Span("de tabel", link="#cijfers"), ", ", Span("niets", link="#onbekend"),
                   " en ", Span("dit", link="javascript:alert(1)"), ".\nNieuwe regel")
    table = Table("Cijfers", (Column("A"),), (Row(("1",)),), anchor="cijfers")
    main = _main(_doc(paragraph, table))
    p = main.find("p")
    assert "body" in p.classes()
    assert p.find("strong").text() == "vet" and p.find("em").text() == "schuin"
    links = {a.text(): a.attrs["href"] for a in p.iter("a")}
    assert links == {"het CCV": "https://hetccv.nl/", "de tabel": "#cijfers"}
    assert main.find("table").attrs["id"] == "cijfers"
    assert "niets" in p.text() and "dit" in p.text() and p.find("br")


def test_paragraph_styles_are_classes() -> None:
    main = _main(_doc(_p("a", style="lead"), _p("b", style="note"), _p("c"), _p("")))
    assert [(p.classes(), p.text()) for p in main.iter("p")] == [
        ({"lead"}, "a"), ({"note"}, "b"), ({"body"}, "c")]


def test_heading_ids_are_safe_unique_and_generated_without_an_anchor() -> None:
    document = _doc(
        TableOfContents(depth=3),
        Heading(1, "Eén", anchor="één twee"), Heading(2, "Dubbel", anchor="één twee"),
        Heading(2, "Zonder"), Heading(3, "Cijfer", anchor="2020"), Heading(1, "x", anchor="tekst"),
        Heading(1, "Bijlage", anchor="(bijlage)", numbered=False),
        _p(Span("terug", link="#één twee")),
    )
    main = _main(document)
    headings = [n for n in main.iter() if n.tag in ("h2", "h3", "h4")]
    assert [h.attrs["id"] for h in headings] == [
        "een-twee", "een-twee-2", "kop-3", "id-2020", "tekst-2", "bijlage"]
    assert [h.text() for h in headings] == ["1 Eén", "1.1 Dubbel", "1.2 Zonder",
                                            "1.2.1 Cijfer", "2 x", "Bijlage"]
    assert headings[-1].elements() == []  # no number span
    assert main.elements()[-1].find("a").attrs["href"] == "#een-twee"
    assert main.attrs["id"] == "tekst"
    assert [a.attrs["href"] for a in main.find("nav").iter("a")] == [
        f"#{h.attrs['id']}" for h in headings]


def test_contents_stops_at_its_depth_and_ignores_page_breaks() -> None:
    blocks = (TableOfContents(title="Inhoud", depth=1), PageBreak(), Heading(1, "A"),
              Heading(2, "A1"), Heading(1, "B"))
    main = _main(_doc(*blocks))
    assert [a.text() for a in main.find("nav").iter("a")] == ["1 A", "2 B"]
    assert render_html(_doc(*blocks)) == render_html(
        _doc(*(b for b in blocks if not isinstance(b, PageBreak))))


def test_contents_nests_a_skipped_level_once() -> None:
    nav = _main(_doc(TableOfContents(depth=3), Heading(1, "A"), Heading(3, "Diep"),
                     Heading(2, "A1"), Heading(1, "B"))).find("nav")
    [top] = [n for n in nav.elements() if n.tag == "ol"]
    first, second = top.elements()
    assert [li.find("a").text() for li in first.find("ol").elements()] == ["1.1.1 Diep", "1.1 A1"]
    assert second.text() == "2 B" and not list(second.iter("ol"))


def test_lists_nest_as_in_the_ir() -> None:
    inner = ListBlock((ListItem((_p("Analyse"),)), ListItem((_p("Gesprekken"),))))
    outer = ListBlock((ListItem((_p("Terugkijken"),)), ListItem((_p("Vernieuwen"), inner)),
                       ListItem((_p("Een"), _p("Twee")))), ordered=True)
    main = _main(_doc(outer, ListBlock((ListItem((_p("Los"),)),), review="Nieuw")))
    ol, ul = main.elements()[:2]
    assert (ol.tag, ul.tag) == ("ol", "ul")
    items = ol.elements()
    assert [li.tag for li in items] == ["li"] * 3
    assert [c.tag for c in items[1].elements()] == ["p", "ul"]
    assert [li.text() for li in items[1].find("ul").elements()] == ["Analyse", "Gesprekken"]
    assert [p.text() for p in items[2].iter("p")] == ["Een", "Twee"]
    assert main.elements()[2].tag == "aside"


def test_table_rows_numbers_and_notes() -> None:
    first = Table("Criminaliteit", (Column("Delict"), Column("2018", "right")),
                  (Row(("Woninginbraken", "121")), Row(("pogingen", "37"), indent=1),
                   Row(("Totaal",), strong=True)), notes=("Bron: Politie.", ""))
    bare = Table(None, (Column("Actie"),), (Row(("Opstellen",)),))
    third = Table("Planning", (Column("Actie"),), (Row(("Opstellen",)),))
    main = _main(_doc(first, bare, third))
    tables = list(main.iter("table"))
    assert [[c.tag for c in t.elements()] for t in tables] == [
        ["caption", "thead", "tbody"], ["thead", "tbody"], ["caption", "thead", "tbody"]]
    assert [c.text() for c in main.iter("caption")] == ["Tabel 1: Criminaliteit",
                                                         "Tabel 2: Planning"]
    plain, part, total = tables[0].find("tbody").elements()
    assert plain.classes() == set() and part.classes() == {"part"}
    assert "padding-left" in part.elements()[0].attrs["style"]
    assert "style" not in part.elements()[1].attrs
    assert total.classes() == {"total"} and total.elements()[0].find("strong").text() == "Totaal"
    assert [td.text() for td in total.elements()] == ["Totaal", ""]
    assert [td.classes() for td in plain.elements()] == [set(), {"right"}]
    block = main.elements()[0]
    assert [c.tag for c in block.elements()] == ["table", "p"]
    assert block.elements()[1].classes() == {"note"}


def test_logo_is_embedded_with_its_alt_text(tmp_path: Path) -> None:
    for name, mime, data in (("logo.png", "image/png", PNG),
                             ("logo.svg", "image/svg+xml", b"<svg xmlns='x'/>")):
        path = tmp_path / name
        path.write_bytes(data)
        page = replace(TITLE_PAGE, logo=Image(str(path), "Logo van de gemeente"))
        header = parse(render_html(Document(METADATA, page, ()))).find("header")
        image = header.find("img")
        assert image.attrs["alt"] == "Logo van de gemeente"
        assert image.attrs["src"] == f"data:{mime};base64,{base64.b64encode(data).decode()}"
    path = tmp_path / "logo.bmp"
    path.write_bytes(b"BM")
    with pytest.raises(ValueError, match=r"logo\.bmp"):
        render_html(Document(METADATA, replace(TITLE_PAGE, logo=Image(str(path), "Logo")), ()))


def test_a_document_without_extras_has_no_banner_footer_or_empty_elements() -> None:
    page = parse(render_html(_doc(Heading(1, "A"))))
    assert not [n for n in page.iter() if n.attrs.get("role") == "note"]
    assert not list(page.iter("footer"))
    assert [p.text() for p in page.find("header").iter("p")] == ["Gemeente A&B", "2020–2023"]


# -- The CLI --------------------------------------------------------------------------


def test_cli_writes_the_html_page(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["--project", str(project.root), "build", "urk", "--format", "html",
                 "-o", str(out)]) == 0
    composition = api.compose_municipality(project, "urk")
    [written] = documents(out / "urk")
    assert written.name == f"{api.output_stem(composition)}.html"
    assert written.read_text(encoding="utf-8") == render_html(
        api.document_for(project, composition))
    assert "html" in api.FORMATS


def test_anchor_id_is_the_id_a_heading_with_that_anchor_gets() -> None:
    from ivbcompose.writers.html import anchor_id

    document = _doc(Heading(1, "Een", anchor="2021-plan"), Heading(1, "Twee", anchor="jeugd"))
    ids = [n.attrs["id"] for n in _main(document).iter() if n.tag == "h2"]
    assert ids == [anchor_id("2021-plan"), anchor_id("jeugd")] == ["id-2021-plan", "jeugd"]
