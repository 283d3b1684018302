"""The Word writer's output is valid OOXML: checked with openxml-audit, a port of the Open XML SDK.

openxml-audit validates the package, every XML part against the ECMA-376
schemas (element order included) and the SDK's semantic rules. Findings that
are wrong for our files are listed in ALLOWED with the reason; anything else
fails the test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openxml_audit import FileFormat, OpenXmlValidator, ValidationError

from ivbcompose import api
from ivbcompose.project import Project
from ivbcompose.writers.docx import DocxOptions, render_docx

from ..conftest import FIXTURE
from .test_docx import EPOCH, _png, _reference, make_document

# (error id, node, description) → why it is not a problem.
ALLOWED: dict[tuple[str, str | None, str], str] = {
    ("Sem_ReferencedElementMissing", "numId", "Numbering definition '0' referenced but not found"):
        "numId 0 means 'no numbering' (ECMA-376 Part 1, 17.9.18), not a missing definition; "
        "unnumbered headings and the TOC title use it to switch off their style's numbering",
}


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0)


def unexpected(validator: OpenXmlValidator, path: Path) -> list[str]:
    """Every finding (errors and warnings) that is not allowed, readable."""
    result = validator.validate(path)
    return [str(error) for error in result.errors if _key(error) not in ALLOWED]


def _key(error: ValidationError) -> tuple[str, str | None, str]:
    return error.id, error.node, error.description


def test_representative_document_is_valid(validator: OpenXmlValidator, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    path = tmp_path / "ivb.docx"
    path.write_bytes(render_docx(make_document(logo=logo), DocxOptions(source_date_epoch=EPOCH)))
    assert unexpected(validator, path) == []


def test_document_on_a_reference_document_is_valid(validator: OpenXmlValidator,
                                                   tmp_path: Path) -> None:
    reference = _reference(tmp_path / "reference.docx")
    path = tmp_path / "ivb.docx"
    path.write_bytes(render_docx(make_document(), DocxOptions(reference_doc=reference)))
    assert unexpected(validator, path) == []


def test_example_documents_are_valid(validator: OpenXmlValidator, tmp_path: Path) -> None:
    results = api.build_all(Project(FIXTURE), api.BuildOptions(output_dir=tmp_path))
    assert len(results) == 3
    for result in results:
        (path,) = (p for p in result.outputs if p.suffix == ".docx")
        assert unexpected(validator, path) == [], path.name


def test_validator_catches_child_order_errors(validator: OpenXmlValidator,
                                              tmp_path: Path) -> None:
    """The check has teeth: a w:jc before w:pStyle (a classic) is reported."""
    data = render_docx(make_document())
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                heading = b'<w:pStyle w:val="Heading2"/>'
                content = content.replace(b"<w:pPr>" + heading,
                                          b'<w:pPr><w:jc w:val="left"/>' + heading)
            target.writestr(info, content)
    problems = unexpected(validator, broken)
    assert len(problems) == 1
    assert "Unexpected element 'pStyle'" in problems[0]
