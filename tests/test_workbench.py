"""The workbench in a real browser (issue 17): Debian's headless chromium, driven by Playwright,
against `crossexec serve` started as a user starts it. `make test` installs chromium when it is
missing; without it (or without the playwright package) the test is skipped and says why.

Set CROSSEXEC_SCREENSHOT=docs/workbench.png to refresh the README's screenshot; otherwise the
screenshot goes to pytest's temporary folder (it is always taken and checked)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in (os.environ.get("CROSSEXEC_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                             shutil.which("chromium") or "") if p and Path(p).is_file()), None)
DEMO = "facts/examples/demo.yaml"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium; "
                                                "`make test` installs it when it can)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """`crossexec serve` in its own process on a free port, stopped (by its pid) at the end."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "crossexec.cli", "serve", "--port", str(port), "--workers", "1",
                                "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"crossexec serve did not start: {process.stderr.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def test_the_workbench_in_chromium(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN", device_scale_factor=1)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server)
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            assert "交叉执行" in page.title()

            # load the demo from the examples menu: the answer appears, grouped by court
            page.select_option("#examples", DEMO)
            page.wait_for_selector(".conclusion", timeout=60_000)
            courts = page.locator(".court h3").all_inner_texts()
            assert any("苏州市吴江区人民法院" in c for c in courts) and any("昆山市人民法院" in c for c in courts)
            # from the top of the hierarchy down, as `crossexec ask` prints them
            first = lambda name: next(i for i, c in enumerate(courts) if c.startswith(name))  # noqa: E731
            assert first("江苏省高级人民法院") < first("江苏省苏州市中级人民法院") < first("昆山市人民法院")
            assert courts[-1].startswith("申请执行人")
            assert "苏州某电器公司执行案" in page.locator("#summary").inner_text()

            # the court filter keeps one court's conclusions
            page.select_option("#f-court", "苏州市吴江区人民法院")
            assert page.locator(".court").count() == 1
            page.select_option("#f-court", "")
            # a power any superior holds is shown once (as `crossexec ask`), for each with the box ticked
            shown = page.locator(".conclusion").count()
            page.check("#f-all")
            assert page.locator(".conclusion").count() > shown
            page.uncheck("#f-all")

            # a click on a conclusion draws its proof: nodes with the statute, the rule and the fact's line
            page.locator(".conclusion", has_text="移送案卷材料").first.click()
            page.wait_for_function("window.crossexec.state.cy && window.crossexec.state.cy.nodes().length > 3",
                                   timeout=60_000)
            labels = page.evaluate("window.crossexec.state.cy.nodes().map(n => n.data('label').replaceAll('\\n', ''))")
            assert any("a06_transfer" in label for label in labels)
            assert any("decisions[0]" in label and "第40行" in label for label in labels)   # the decision, line 40
            assert "移送案卷材料" in page.locator("#proof-title").inner_text()
            page.evaluate("(() => { const n = window.crossexec.state.cy.nodes(\"[kind = 'app']\")[0];"
                          " n.select(); n.emit('tap'); })()")
            assert "rules/guidance/a06.lp" in page.locator("#node-info").inner_text()
            page.wait_for_timeout(500)
            screenshot = tmp_path / "workbench.png"
            page.screenshot(path=str(screenshot))

            # why not: a conclusion in the CLI's syntax
            page.fill("#whynot-input", "may 江苏省苏州市中级人民法院 elevate c2")
            page.click("#whynot-go")
            page.wait_for_function("document.getElementById('proof-title').textContent.startsWith('为什么不')",
                                   timeout=60_000)
            assert page.evaluate("window.crossexec.state.cy.nodes().length") > 1

            # a broken key: the message appears under the line that holds it
            line = (ROOT / DEMO).read_text(encoding="utf-8").splitlines().index("    filed: 2023-06-15") + 1
            page.evaluate(f"window.crossexec.editor.focus(); window.crossexec.editor.setCursor({{line: {line - 1}, ch: 4}})")
            page.keyboard.type("x")
            message = page.locator(".lint-message")
            message.wait_for(timeout=30_000)
            assert message.get_attribute("data-line") == str(line)
            assert "cases[0].xfiled" in message.inner_text() and "unknown key" in message.inner_text()
            # the widget sits right under that line in the editor
            under = page.evaluate("(() => { const cm = window.crossexec.editor; const w = document.querySelector('.lint-message');"
                                  f" return [cm.charCoords({{line: {line - 1}, ch: 0}}, 'page').bottom,"
                                  " w.getBoundingClientRect().top + window.scrollY]; })()")
            assert 0 <= under[1] - under[0] < 6
            assert page.evaluate(f"window.crossexec.editor.lineInfo({line - 1}).bgClass") == "cm-error-line"
            # fixing it clears the message
            page.keyboard.press("Backspace")
            message.wait_for(state="detached", timeout=30_000)

            # English
            page.click("#lang-en")
            assert page.locator("#ask").inner_text() == "Ask"
            assert page.locator(".badge").first.inner_text() in ("must", "should", "may", "should not", "must not")

            # the article browser: the text of art. 7 with its rules under the sentences
            page.click("button[data-tab='articles']")
            page.locator("#article-list a[data-n='7']").click()
            page.wait_for_selector("#article-view .rule code", timeout=30_000)
            view = page.locator("#article-view").inner_text()
            assert "应当停止执行" in view and "a07_stop_execution" in view
        finally:
            browser.close()
    assert not errors, errors
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000          # a drawn page, not a blank one
    wanted = os.environ.get("CROSSEXEC_SCREENSHOT")
    if wanted:
        shutil.copyfile(screenshot, ROOT / wanted)
