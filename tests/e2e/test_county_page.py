"""Real-browser tests of the county (区县) evaluation page.

The demo data set (`dudao serve --demo`) contains 许昌市 / 禹州市 (411081) with
2024 data under the 2017 优质均衡 programme, and is built so that at least one
indicator fails.
"""

from __future__ import annotations

import re

import pytest
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import screenshot

COUNTY_CODE = "411081"
COUNTY_NAME = "禹州市"
COUNTY_NAME_EN = "Yuzhou"
CITY_NAME = "许昌市"
COUNTY_PATH = f"/regions/{COUNTY_CODE}?year=2024&programme=quality-2017"

WAIT_S = 15
INDICATORS_PER_LEVEL = 7
# 差异系数 limits in the 2017 县域义务教育优质均衡发展督导评估办法
LIMITS = {"primary": 0.50, "junior": 0.45}
VERDICTS_ZH = {"达标", "未达标"}
VERDICTS_EN = {"pass", "fail"}

PHONE_W, PHONE_H = 390, 844

NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def wait(driver, timeout: float = WAIT_S) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def open_page(driver, url: str, css: str = "h1"):
    """Navigate and wait until `css` is present; return that element."""
    driver.get(url)
    try:
        return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        pytest.fail(
            f"{url}: no element {css!r} after {WAIT_S} s "
            f"(title={driver.title!r}, current url={driver.current_url!r})"
        )


def parse_number(text: str, what: str) -> float:
    cleaned = text.strip().replace(",", "").replace("\u2009", "").replace("\u00a0", "")
    assert NUMBER_RE.match(cleaned), f"{what}: {text!r} does not parse as a number"
    return float(cleaned)


def cell(row, css: str, where: str):
    found = row.find_elements(By.CSS_SELECTOR, css)
    assert found, f"{where}: row has no cell {css!r}; row html: {row.get_attribute('outerHTML')[:400]}"
    return found[0]


def indicator_rows(driver, table_id: str):
    try:
        wait(driver).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, f"table#{table_id}"))
        )
    except TimeoutException:
        pytest.fail(f"no table#{table_id} on {driver.current_url}")
    return driver.find_elements(By.CSS_SELECTOR, f"table#{table_id} tbody tr[data-indicator]")


def check_indicator_table(driver, level: str, verdicts: set[str]) -> list[dict]:
    """Check table#indicators-<level>; return one dict per row."""
    table_id = f"indicators-{level}"
    limit_expected = LIMITS[level]
    rows = indicator_rows(driver, table_id)
    assert len(rows) == INDICATORS_PER_LEVEL, (
        f"table#{table_id}: expected {INDICATORS_PER_LEVEL} rows "
        f"'tbody tr[data-indicator]', found {len(rows)}"
    )
    out = []
    for i, row in enumerate(rows):
        key = row.get_attribute("data-indicator") or f"#{i}"
        where = f"table#{table_id} row {key}"
        mean = parse_number(cell(row, "td.mean", where).text, f"{where} td.mean")
        cv = parse_number(cell(row, "td.cv", where).text, f"{where} td.cv")
        limit = parse_number(cell(row, "td.limit", where).text, f"{where} td.limit")
        verdict = cell(row, "td.verdict", where).text.strip()
        passed_attr = row.get_attribute("data-passed")

        assert mean >= 0, f"{where}: mean {mean} is negative"
        assert 0 <= cv <= 3, f"{where}: cv {cv} outside [0, 3]"
        assert limit == pytest.approx(limit_expected), (
            f"{where}: limit {limit}, expected {limit_expected}"
        )
        assert verdict in verdicts, f"{where}: verdict {verdict!r} not one of {sorted(verdicts)}"
        assert passed_attr in ("true", "false"), (
            f"{where}: data-passed={passed_attr!r}, expected 'true' or 'false'"
        )
        passed = passed_attr == "true"
        verdict_passed = verdict in ("达标", "pass")
        assert passed == verdict_passed, (
            f"{where}: data-passed={passed_attr} but verdict reads {verdict!r}"
        )
        # An indicator passes iff its 差异系数 is within the limit. Allow for
        # the displayed cv being rounded.
        if passed:
            assert cv <= limit + 0.005, f"{where}: marked passing but cv {cv} > limit {limit}"
        else:
            assert cv >= limit - 0.005, f"{where}: marked failing but cv {cv} < limit {limit}"
        out.append({"indicator": key, "cv": cv, "limit": limit, "passed": passed})
    return out


def county_url(server: str, extra: str = "") -> str:
    return server + COUNTY_PATH + extra


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------

def test_county_evaluation_page(server, browser):
    url = county_url(server)
    h1 = open_page(browser, url)
    assert COUNTY_NAME in h1.text, f"h1 {h1.text!r} does not contain {COUNTY_NAME!r}"

    primary = check_indicator_table(browser, "primary", VERDICTS_ZH)
    junior = check_indicator_table(browser, "junior", VERDICTS_ZH)

    failing = [r["indicator"] for r in primary + junior if not r["passed"]]
    assert failing, (
        "expected at least one row with data-passed=\"false\" "
        "(the demo data is built to have a failing indicator); all passed"
    )

    items = browser.find_elements(By.CSS_SELECTOR, "ul#failing-primary li")
    assert items, "no 'ul#failing-primary li' items (gaps of failing indicators)"
    texts = [li.text.strip() for li in items]
    assert any("需" in t for t in texts), (
        f"no ul#failing-primary item states a gap with '需…'; items: {texts}"
    )

    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert charts, "no inline <svg class=\"chart\"> on the page"
    assert any(c.is_displayed() for c in charts), "svg.chart present but none is displayed"

    screenshot(browser, "county-desktop")


def test_county_page_phone(server, browser):
    browser.set_window_size(PHONE_W, PHONE_H)
    # Emulate a real phone: mobile viewport rules (meta viewport), DPR 2, touch.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_W, "height": PHONE_H, "deviceScaleFactor": 2, "mobile": True},
    )
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})

    h1 = open_page(browser, county_url(server))
    assert COUNTY_NAME in h1.text, f"h1 {h1.text!r} does not contain {COUNTY_NAME!r}"
    indicator_rows(browser, "indicators-primary")  # page content has rendered

    has_viewport_meta = browser.execute_script(
        "return !!document.querySelector('meta[name=viewport]')"
    )
    assert has_viewport_meta, (
        'no <meta name="viewport" content="width=device-width, initial-scale=1">; '
        "phones would lay the page out 980 px wide"
    )

    body_w, doc_w, inner_w = browser.execute_script(
        "return [document.body.scrollWidth,"
        " document.documentElement.scrollWidth, window.innerWidth]"
    )
    screenshot(browser, "county-phone")
    if body_w > PHONE_W + 2 or doc_w > PHONE_W + 2:
        # Name the culprits: elements sticking out that are not inside a
        # horizontally scrollable wrapper.
        culprits = browser.execute_script(
            """
            const W = document.documentElement.clientWidth, out = [], seen = new Set();
            const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
              return false; };
            for (const el of document.body.querySelectorAll('*')) {
              const r = el.getBoundingClientRect();
              if (r.right > W + 2 && !scrolls(el)) {
                seen.add(el);
                if (seen.has(el.parentElement)) continue;  // report outermost only
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                  (el.className && typeof el.className === 'string'
                     ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                  ' right=' + Math.round(r.right));
                if (out.length >= 8) break; } }
            return out;
            """
        )
        pytest.fail(
            f"page scrolls horizontally at {PHONE_W} px: body.scrollWidth={body_w}, "
            f"documentElement.scrollWidth={doc_w}, innerWidth={inner_w}; "
            f"overflowing elements: {culprits}"
        )


def test_english_switch(server, browser):
    h1 = open_page(browser, county_url(server, "&lang=en"))
    lang = browser.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""
    assert lang.lower().startswith("en"), f"<html lang={lang!r}>, expected 'en…' with &lang=en"
    # The county name stays (Chinese proper noun), possibly with a romanisation.
    assert COUNTY_NAME in h1.text or COUNTY_NAME_EN in h1.text, (
        f"h1 {h1.text!r} contains neither {COUNTY_NAME!r} nor {COUNTY_NAME_EN!r}"
    )

    for level in ("primary", "junior"):
        rows = indicator_rows(browser, f"indicators-{level}")
        assert rows, f"table#indicators-{level} has no rows in English"
        for row in rows:
            where = f"table#indicators-{level} row {row.get_attribute('data-indicator')}"
            verdict = cell(row, "td.verdict", where).text.strip()
            assert verdict in VERDICTS_EN, (
                f"{where}: English verdict {verdict!r}, expected 'pass' or 'fail'"
            )

    screenshot(browser, "county-en")


def _click_link_containing(driver, text: str, what: str):
    """Click the first visible <a> whose text contains `text`; wait for navigation."""
    xpath = f"//a[contains(normalize-space(.), '{text}')]"
    try:
        link = wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath)))
    except TimeoutException:
        links = [a.text.strip() for a in driver.find_elements(By.TAG_NAME, "a")][:40]
        pytest.fail(
            f"{what}: no clickable link containing {text!r} on {driver.current_url}; "
            f"links on page: {links}"
        )
    before = driver.current_url
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    try:
        link.click()
    except ElementClickInterceptedException:
        driver.execute_script("arguments[0].click()", link)
    try:
        wait(driver).until(lambda d: d.current_url != before)
        wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        pytest.fail(f"{what}: clicking {text!r} on {before} did not navigate")


def test_navigation_from_home(server, browser):
    open_page(browser, server + "/", css="body")
    wait(browser).until(lambda d: d.execute_script("return document.readyState") == "complete")
    screenshot(browser, "home")

    _click_link_containing(browser, CITY_NAME, "home → city")
    screenshot(browser, "city")
    _click_link_containing(browser, COUNTY_NAME, "city → county")

    try:
        wait(browser).until(EC.url_contains(f"/regions/{COUNTY_CODE}"))
    except TimeoutException:
        pytest.fail(
            f"expected to end on /regions/{COUNTY_CODE}, ended on {browser.current_url}"
        )
    try:
        h1 = wait(browser).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    except TimeoutException:
        pytest.fail(f"county page {browser.current_url} has no h1")
    assert COUNTY_NAME in h1.text, f"county page h1 {h1.text!r} lacks {COUNTY_NAME!r}"
