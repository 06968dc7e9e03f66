"""graph.html in a real browser: Debian's chromium driven by selenium, offline.

Skipped only when chromium or chromedriver is not installed (``make system-deps``
installs them).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.graph import build_graph
from pipeline.graph_html import render, write_graph_html
from tests.test_graph import doc_result, fixture_results

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

browser_missing = not (CHROMIUM.exists() and CHROMEDRIVER.exists())


def test_page_is_self_contained():
    page = render(build_graph(fixture_results()))
    # no external resource of any kind
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<script src" not in page and "<link" not in page
    assert 'id="graph-data"' in page


def test_page_data_cannot_close_its_script():
    hostile = doc_result(
        "txt/x.txt",
        {"doc_type": "Kế hoạch", "number": "5/KH-X", "date": "2020-01-01", "title": "</script><script>alert(1)</script>"},
        [(None, "Thực hiện Nghị quyết số 02-NQ/TW </script>.")],
        [{"key": "02-NQ/TW", "relation": "implements"}],
    )
    page = render(build_graph([hostile]))
    data_block = page.split('id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(data_block)
    assert any(n["title"] == "</script><script>alert(1)</script>" for n in data["nodes"])


@pytest.mark.browser
@pytest.mark.skipif(browser_missing, reason="needs /usr/bin/chromium and /usr/bin/chromedriver (make system-deps)")
def test_page_draws_every_node_and_shows_details(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    g = build_graph(fixture_results())
    page = tmp_path / "graph.html"
    write_graph_html(g, page)

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(page.as_uri())
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"] if hasattr(driver, "get_log") else []
        assert not errors, errors

        drawn = driver.find_elements(By.CSS_SELECTOR, "#graph g.node")
        assert len(drawn) == g.number_of_nodes()
        assert len(driver.find_elements(By.CSS_SELECTOR, "#graph line.edge")) == g.number_of_edges()
        # in-corpus documents are filled, cited-only ones hollow
        corpus_ids = {v for v, a in g.nodes(data=True) if a["in_corpus"]}
        assert {e.get_attribute("data-id") for e in driver.find_elements(By.CSS_SELECTOR, "g.node.corpus")} == corpus_ids
        # nodes are spread out, not stacked at the origin
        positions = {e.get_attribute("transform") for e in drawn}
        assert len(positions) == len(drawn)

        target = next(e for e in drawn if e.get_attribute("data-id") == "02/CTr-BCH")
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
        panel = driver.find_element(By.ID, "details")
        WebDriverWait(driver, 5).until(lambda d: "02/CTr-BCH" in panel.text)
        text = panel.text
        assert "Chương trình hành động" in text
        assert "Đổi mới tổ chức và hoạt động của Công đoàn Việt Nam" in text  # the title
        assert "Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam" in text
        assert "docx/000_a.docx" in text and "txt/000_a.txt" in text  # its sources
        assert "Chương trình hành động số 02/CTr-BCH, ngày 20/7/2021" in text  # a citing sentence
        assert "metadata" in text
        assert "selected" in target.get_attribute("class")

        # a click on the background clears the panel
        driver.execute_script("document.getElementById('graph').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        assert "02/CTr-BCH" not in panel.text
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)
