"""The review page in a real browser: Debian's Chromium driven by Playwright, against a real server
(uvicorn on a loopback port) over a real SQLite file."""

import json
import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOSTILE = ('Hundreds of protesters rallied in Bishkek on Sunday. <script>window.__pwned = 1</script> '
           'They chanted slogans. <img src=x onerror="window.__pwned = 2"> Police detained 12 of them.')

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install -y chromium (.ci/run does)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_examples):
    import uvicorn

    from protestwatch.review.users import add_user
    from protestwatch.review.web.app import create_app
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    folder = tmp_path_factory.mktemp("web")
    feed = folder / "hostile.jsonl"
    feed.write_text(json.dumps({"id": "hostile", "text": HOSTILE, "published": "2023-03-13", "source": "Evil"}) + "\n")
    engine = open_store(str(folder / "events.db"))
    run_pipeline([shared_examples, feed], engine)
    token = add_user(engine, "alice")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token, engine
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, server):
    # bypass_csp: the page's Content-Security-Policy would also stop injected script; the tests must
    # show that the page never injects article text as HTML at all (and Playwright evaluates strings).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server[0] + "/")
    page.wait_for_selector("#events li")
    yield page
    context.close()
    assert errors == []


def _open(page, kind, place, date_from=None):
    page.select_option("select[name=type]", kind)
    page.fill("input[name=place]", place)
    if date_from:
        page.fill("input[name=date_from]", date_from)
    page.click("#apply")
    page.wait_for_function("document.querySelectorAll('#events li').length === 1")
    page.click("#events li")
    page.wait_for_selector("#detail mark")


def test_review_loop_filter_open_evidence_correct_approve(page, server):
    base, token, _ = server
    # The country shapes and markers are drawn after their own fetches: wait for them, do not race them.
    page.wait_for_function("document.querySelectorAll('#map .leaflet-interactive').length > 10")
    page.wait_for_function("document.querySelectorAll('#timeline rect').length > 0")
    _open(page, "protest", "Almaty", "2021-01-01")
    assert page.locator("#detail h2").inner_text().startswith("protest — Almaty, 2021-02-28")
    fields = set(page.locator("#detail mark").evaluate_all("marks => marks.map(m => m.dataset.field)"))
    assert {"type", "date", "location", "detained"} <= fields
    assert page.locator('#detail mark[data-field="detained"]').first.inner_text() == "Roughly 50"

    page.fill("#token", token)
    page.dispatch_event("#token", "change")
    page.fill("input[name=location_admin1]", "Almaty City")
    actors = json.loads(page.input_value("textarea[name=actors]"))
    page.fill("textarea[name=actors]", json.dumps(actors + [{"name": "Oyan Qazaqstan", "role": "organizer",
                                                             "kind": "group"}]))
    page.click("#save")
    page.wait_for_selector("#message.ok")
    page.locator("#detail h2").click()  # focus off the inputs: the keys are the reviewer's
    page.keyboard.press("a")
    page.wait_for_function("document.querySelector('#status').textContent.includes('approved')")
    assert "actors, location" in page.locator("#status").inner_text()
    page.wait_for_function("document.querySelectorAll('#history li').length === 3")

    event_id = page.locator("#events li.selected").get_attribute("data-id")
    history = page.request.get(f"{base}/api/events/{event_id}/history").json()
    assert [(h["action"], h["field"], h["user"]) for h in history] == [("correct", "location", "alice"),
                                                                       ("correct", "actors", "alice"),
                                                                       ("approve", "status", "alice")]
    exported = [json.loads(line) for line in page.request.get(f"{base}/api/export?format=jsonl").text().splitlines()]
    mine = next(r for r in exported if r["id"] == event_id)
    assert mine["location"]["admin1"] == "Almaty City" and mine["review"]["status"] == "approved"
    assert {"name": "Oyan Qazaqstan", "role": "organizer", "kind": "group"} in mine["actors"]


def test_invalid_json_in_a_list_field_is_reported_not_sent(page, server):
    _open(page, "protest", "Almaty", "2021-01-01")
    page.fill("#token", server[1])
    page.dispatch_event("#token", "change")
    page.fill("textarea[name=demands]", "[{not json")
    page.click("#save")
    page.wait_for_selector("#message:not(.ok)")
    assert "demands: not valid JSON" in page.locator("#message").inner_text()


def test_keyboard_moves_between_events(page):
    page.locator("#events").click()
    page.keyboard.press("j")
    page.wait_for_selector("#events li.selected")
    first = page.locator("#events li.selected").get_attribute("data-id")
    page.keyboard.press("j")
    page.wait_for_function(f"document.querySelector('#events li.selected').dataset.id !== '{first}'")


def test_article_text_never_runs_as_html(page):
    _open(page, "protest", "Bishkek")
    text = page.locator('.source-text[data-document="hostile"]')
    assert "<script>window.__pwned = 1</script>" in text.inner_text()
    assert text.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_hedged_event_says_so_and_marks_its_hedge(page):
    # the seed report: "the internet appeared to have been blocked" is not stated as fact
    _open(page, "internet_shutdown", "Almaty", "2021-01-01")
    assert "HEDGED" in page.locator("#certainty").inner_text()
    assert page.locator('#detail mark[data-field="certainty"]').first.inner_text() == "appeared"


def test_family_filter_lists_only_that_family(page):
    page.select_option("select[name=family]", "repression")
    page.click("#apply")
    page.wait_for_function("document.querySelectorAll('#events li').length > 0 && [...document.querySelectorAll("
                           "'#events li')].every(li => !li.children[1].textContent.startsWith('protest '))")
    kinds = page.locator("#events li").evaluate_all("items => items.map(li => li.children[1].textContent.split(' — ')[0])")
    assert kinds and set(kinds) <= {"detention", "ban", "summons", "sentencing", "dispersal", "internet_shutdown",
                                    "violence_against_protesters"}
