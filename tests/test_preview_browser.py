"""The live preview in a real browser: Chromium (Debian's package) driven by selenium.

`ivbcompose serve` runs as a user starts it, on a copy of the fixture project;
the test reads the document in the page's frame, saves an edited YAML file and
sees the page follow, breaks the YAML and sees the message with file and line,
and repairs it. Skipped where Chromium or its driver is missing, except under
CI, where `.ci/run` installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivbcompose.project import Project

from .conftest import edit, line_of

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = Path(CHROMIUM).is_file() and Path(DRIVER).is_file()

pytestmark = pytest.mark.skipif(not HAVE_BROWSER and not os.environ.get("CI"),
                                reason="needs Debian's chromium and chromium-driver")

CHAPTER_FILE = "shared/10-inleiding.yaml"


@pytest.fixture
def address(project: Project) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ivbcompose", "--project", str(project.root), "serve", "urk",
         "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("preview: http://127.0.0.1:"), first
    yield first.split()[1]
    process.terminate()
    process.wait(10)
    process.stdout.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_the_preview_follows_edits_and_shows_mistakes(project: Project, address: str,
                                                      browser: object, tmp_path: Path) -> None:
    from selenium.common.exceptions import (
        NoSuchElementException,
        NoSuchFrameException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver: object = browser
    # The page swaps its frame's document on every rebuild: an element read during the swap
    # is gone by the next call, which only means "look again".
    wait = WebDriverWait(driver, 20, ignored_exceptions=(  # type: ignore[arg-type]
        StaleElementReferenceException, NoSuchFrameException, NoSuchElementException))
    driver.get(address)  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"  # type: ignore[attr-defined]

    def in_document(check: object) -> object:
        def condition(d: object) -> object:
            d.switch_to.default_content()  # type: ignore[attr-defined]
            d.switch_to.frame(d.find_element(By.ID, "document"))  # type: ignore[attr-defined]
            try:
                return check(d)  # type: ignore[operator]
            finally:
                d.switch_to.default_content()  # type: ignore[attr-defined]
        return condition

    def headings(d: object) -> list[str]:
        return [h.text for h in d.find_elements(By.CSS_SELECTOR, "h2")]  # type: ignore[attr-defined]

    wait.until(in_document(lambda d: headings(d)))
    first = wait.until(in_document(lambda d: headings(d)))
    # Chapters numbered as in the Word document; only the appendix has no number.
    assert [text.split()[0] for text in first[:3]] == ["1", "2", "3"]
    assert len([text for text in first if not text[:1].isdigit()]) <= 1
    tables = wait.until(in_document(lambda d: d.find_elements(By.CSS_SELECTOR, "table")
                                    and [(len(t.find_elements(By.TAG_NAME, "caption")),
                                          len(t.find_elements(By.CSS_SELECTOR,
                                                              "thead th[scope=col]")))
                                         for t in d.find_elements(By.TAG_NAME, "table")]))
    assert all(captions <= 1 and headers > 0 for captions, headers in tables)
    driver.save_screenshot(str(tmp_path / "preview.png"))  # type: ignore[attr-defined]

    path = project.root / CHAPTER_FILE
    title = next(t.split(":", 1)[1].strip() for t in path.read_text("utf-8").splitlines()
                 if t.strip().startswith("title:"))
    edit(path, f"title: {title}", "title: Bijgewerkt in de browser")
    wait.until(in_document(lambda d: any("Bijgewerkt in de browser" in h
                                         for h in headings(d))))

    edit(path, "title: Bijgewerkt in de browser", "title: [kapot")
    line = line_of(path, "[kapot")
    problems = wait.until(ec.visibility_of_element_located((By.ID, "problemen")))
    wait.until(lambda d: f"{CHAPTER_FILE}:{line}:" in problems.text)
    assert "hint:" in problems.text
    assert wait.until(in_document(lambda d: any("Bijgewerkt in de browser" in h
                                                for h in headings(d))))  # last good stays
    driver.save_screenshot(str(tmp_path / "mistake.png"))  # type: ignore[attr-defined]

    edit(path, "title: [kapot", "title: Weer heel")
    wait.until(ec.invisibility_of_element_located((By.ID, "problemen")))
    wait.until(in_document(lambda d: any("Weer heel" in h for h in headings(d))))
    if os.environ.get("IVBCOMPOSE_SCREENSHOTS"):
        for name in ("preview.png", "mistake.png"):
            shutil.copy(tmp_path / name, Path(os.environ["IVBCOMPOSE_SCREENSHOTS"]) / name)
