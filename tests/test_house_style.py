"""House style per municipality through the API: a reference document and a logo."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from ivbcompose import api
from ivbcompose.errors import IvbError
from ivbcompose.project import Project

from .conftest import edit


def tiny_png(path: Path) -> None:
    """A 2×2 blue PNG, written by hand so the tests need no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * 2 for _ in range(2))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0,
                                                                      0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_logo_on_the_title_page_with_alt_text(project: Project, tmp_path: Path) -> None:
    folder = project.root / "municipalities" / "urk"
    tiny_png(folder / "logo.png")
    edit(folder / "municipality.yaml", "  kernen: [Urk]\n",
         "  kernen: [Urk]\n  logo: logo.png\n  logo_alt: Wapen van Urk\n")
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    with zipfile.ZipFile(result.outputs[0]) as archive:
        body = archive.read("word/document.xml").decode()
        assert any(name.startswith("word/media/") for name in archive.namelist())
    assert 'descr="Wapen van Urk"' in body


def test_missing_logo_is_a_user_error(project: Project, tmp_path: Path) -> None:
    path = project.root / "municipalities" / "urk" / "municipality.yaml"
    edit(path, "  kernen: [Urk]\n", "  kernen: [Urk]\n  logo: wapen.png\n")
    with pytest.raises(IvbError) as caught:
        api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    [problem] = caught.value.problems
    assert problem.code == "logo-missing" and problem.origin.file.endswith("municipality.yaml")


def test_reference_document_styles_are_used(project: Project, tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Georgia"
    reference.sections[0].left_margin = docx.shared.Cm(3.5)
    reference.save(str(project.root / "municipalities" / "dronten" / "reference.docx"))
    result = api.build(project, "dronten", api.BuildOptions(output_dir=tmp_path))
    built = docx.Document(str(result.outputs[0]))
    assert built.styles["Normal"].font.name == "Georgia"
    assert abs(built.sections[-1].left_margin.cm - 3.5) < 0.01
    other = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    assert docx.Document(str(other.outputs[0])).styles["Normal"].font.name != "Georgia"


def test_unusable_logo_and_reference_are_problems_in_check_and_build(project: Project,
                                                                    tmp_path: Path) -> None:
    folder = project.root / "municipalities" / "urk"
    (folder / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>",
                                     encoding="utf-8")
    edit(folder / "municipality.yaml", "  kernen: [Urk]\n", "  kernen: [Urk]\n  logo: logo.svg\n")
    (folder / "reference.docx").write_bytes(b"not a zip at all")
    found = {p.code: p for p in api.check(project)}
    assert found["logo-unusable"].message == "logo.svg is an SVG image; use a PNG or JPEG file"
    assert found["logo-unusable"].origin.file == "municipalities/urk/municipality.yaml"
    assert "is not a Word document" in found["reference-unusable"].message
    assert found["reference-unusable"].origin.file == "municipalities/urk/reference.docx"
    with pytest.raises(IvbError):
        api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    assert not (tmp_path / "urk").exists()


def test_a_logo_path_too_long_for_the_disk_is_a_positioned_problem(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    edit(path, "  kernen: [Urk]\n", "  kernen: [Urk]\n  logo: " + "x" * 5000 + ".png\n")
    [problem] = api.check(project)
    assert problem.code == "logo-missing" and problem.origin.file.endswith("urk/municipality.yaml")
    assert len(problem.message) < 200


def _docx_with(extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, (replace or {}).get(info.filename, source.read(info)))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_reference_document_with_entities_is_refused_by_check(project: Project) -> None:
    # An entity declared in a footer part: check must refuse what the writer would expand.
    styles = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    path = project.root / "municipalities" / "urk" / "reference.docx"
    path.write_bytes(_docx_with({"word/footer9.xml": styles}))
    found = {p.code: p for p in api.check(project, ["urk"])}
    problem = found["reference-unusable"]
    assert "declares a document type or entities" in problem.message
    assert "word/footer9.xml" in problem.message and problem.hint


def test_a_zip_bomb_as_reference_document_is_refused_before_it_is_unpacked(
        project: Project) -> None:
    path = project.root / "municipalities" / "urk" / "reference.docx"
    path.write_bytes(_docx_with({"word/media/nothing.bin": bytes(120 * 1024 * 1024)}))
    assert path.stat().st_size < 1024 * 1024  # small on disk
    found = {p.code: p for p in api.check(project, ["urk"])}
    assert "unpacks to 120 MB" in found["reference-unusable"].message
