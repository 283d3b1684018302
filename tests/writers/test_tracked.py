"""writers/docx/tracked.py: a renvooi in Word, as tracked changes of one fixed author and date.

Read back from the .docx: the changed words are w:ins / w:del (deleted text as
w:delText), a paragraph added or removed whole has its paragraph mark marked,
a table row its row properties; every revision has a unique id, the
municipality as author ("Gemeente <name>", from the data) and the build's date,
so the same input gives the same bytes. The accessibility audit passes. That
Word's readers accept and reject them as meant is tests/renvooi/test_office.py.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ivbcompose.build import BuildOptions, _docx_options
from ivbcompose.document import Paragraph
from ivbcompose.project import Project
from ivbcompose.renvooi import renvooi
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.docx.audit import audit_docx

from ..conftest import FIXTURE
from ..renvooi.versions import NEW_PARAGRAPH, composed, two_folders

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
EPOCH = 1583712000  # 2020-03-09


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def _renvooi_docx(tmp_path: Path, epoch: int | None = EPOCH) -> bytes:
    tmp_path.mkdir(parents=True, exist_ok=True)
    old_project, new_project = two_folders(tmp_path)
    composition, new = composed(new_project)
    _, old = composed(old_project)
    document = renvooi(old, new, composition.ivb.document.chapter_start)
    return render_docx(document, DocxOptions(source_date_epoch=epoch))


def test_changes_are_revisions_of_the_municipality_at_the_build_date(tmp_path: Path) -> None:
    data = _renvooi_docx(tmp_path)
    root = body(data)
    revisions = root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)
    assert len(root.findall(".//w:ins", NS)) >= 5 and len(root.findall(".//w:del", NS)) >= 4
    assert {r.get(f"{{{W}}}author") for r in revisions} == {"Gemeente Dronten"}
    assert {r.get(f"{{{W}}}date") for r in revisions} == {"2020-03-09T00:00:00Z"}
    ids = [r.get(f"{{{W}}}id") for r in revisions]
    bookmarks = {b.get(f"{{{W}}}id") for b in root.iter(f"{{{W}}}bookmarkStart")}
    assert len(set(ids)) == len(ids) and not set(ids) & bookmarks
    # Deleted text is w:delText, never w:t; inserted text stays w:t.
    for deletion in root.iter(f"{{{W}}}del"):
        assert deletion.find(".//w:t", NS) is None
    assert "eerste" in {t.text for t in root.iter(f"{{{W}}}delText")}
    assert "tweede" in {t.text for t in root.findall(".//w:ins/w:r/w:t", NS)}
    assert audit_docx(data) == []


def test_whole_paragraphs_and_rows_have_their_mark_marked(tmp_path: Path) -> None:
    root = body(_renvooi_docx(tmp_path))
    added = next(p for p in root.iter(f"{{{W}}}p")
                 if "".join(p.itertext()) == NEW_PARAGRAPH)
    assert added.find("w:pPr/w:rPr/w:ins", NS) is not None
    assert all(run.getparent().tag == f"{{{W}}}ins" for run in added.findall(".//w:r", NS))
    removed_rows = [tr for tr in root.iter(f"{{{W}}}tr") if tr.find("w:trPr/w:del", NS) is not None]
    assert len(removed_rows) == 1
    assert "Analyse van het huidige veiligheidsbeleid" in "".join(
        t.text or "" for t in removed_rows[0].iter(f"{{{W}}}delText"))


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = _renvooi_docx(tmp_path / "a")
    assert _renvooi_docx(tmp_path / "b") == first
    assert _renvooi_docx(tmp_path / "c", epoch=EPOCH + 86400) != first


def test_without_source_date_epoch_the_date_is_the_documents(tmp_path: Path) -> None:
    old_project, new_project = two_folders(tmp_path)
    composition, new = composed(new_project)
    _, old = composed(old_project)
    options = _docx_options(new_project, composition, BuildOptions())
    root = body(render_docx(renvooi(old, new), options))
    day = composition.ivb.document.date.isoformat()
    assert {r.get(f"{{{W}}}date") for r in root.iter(f"{{{W}}}ins")} == {f"{day}T00:00:00Z"}


def test_the_author_is_the_municipality_of_the_document() -> None:
    _, document = composed(Project(FIXTURE), "urk")
    index = next(i for i, b in enumerate(document.blocks) if isinstance(b, Paragraph))
    earlier = replace(document, blocks=document.blocks[:index] + document.blocks[index + 1:])
    root = body(render_docx(renvooi(earlier, document), DocxOptions(source_date_epoch=EPOCH)))
    assert {r.get(f"{{{W}}}author") for r in root.iter(f"{{{W}}}ins")} == {"Gemeente Urk"}


def test_a_document_without_marks_has_no_revisions() -> None:
    _, document = composed(Project(FIXTURE))
    root = body(render_docx(document, DocxOptions(source_date_epoch=EPOCH)))
    assert root.find(".//w:ins", NS) is None and root.find(".//w:del", NS) is None
