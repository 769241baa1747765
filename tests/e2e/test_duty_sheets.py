"""Real-browser test of 督政: a county officer scores a sheet item with evidence, writes and
downloads the self-evaluation report; the city officer sees the county in the duty ranking."""

from __future__ import annotations

import io
import urllib.request
import zipfile

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS_DIR as ARTIFACTS, login, make_driver, screenshot
from test_visit_phone import JPEG

EVIDENCE = "课堂观察记录12节，信息化教学常态化"
MEASURES = "一是年内新建城区小学两所。"


def fetch(driver, url: str) -> tuple[int, str, bytes]:
    """GET with the browser's session cookie, as a download would."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), resp.read()


def test_county_scores_item_writes_report_and_city_sees_ranking(server):
    photo = ARTIFACTS / "evidence-test.jpg"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(JPEG)
    d = make_driver()
    try:
        login(d, server, "yuzhou")
        d.get(f"{server}/regions/411081")
        # The county page lists the programme's parts; 教育质量 is half scored in the demo.
        link = WebDriverWait(d, 15).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#parts li[data-part='education_quality'] a")))
        link.click()
        item = WebDriverWait(d, 15).until(EC.presence_of_element_located((By.ID, "item-eq05")))
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", item)
        item.find_element(By.CSS_SELECTOR, "input[name='met'][value='yes']").click()
        item.find_element(By.NAME, "evidence").send_keys(EVIDENCE)
        item.find_element(By.NAME, "files").send_keys(str(photo))
        item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # Wait for the new page itself (the old one may still be in the window for a moment).
        saved = WebDriverWait(d, 15, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda drv: "#item-eq05" in drv.current_url
            and "met" in drv.find_element(By.ID, "item-eq05").get_attribute("class").split()
            and drv.find_element(By.ID, "item-eq05"))
        item = saved
        assert EVIDENCE in item.text
        assert item.find_elements(By.CSS_SELECTOR, ".files a"), "the evidence file is listed"
        screenshot(d, "sheet-scored")

        # The report: four parts, the officer's measures saved, the DOCX downloaded.
        d.get(f"{server}/regions/411081")
        WebDriverWait(d, 15).until(EC.element_to_be_clickable((By.ID, "report-link"))).click()
        WebDriverWait(d, 15).until(EC.presence_of_element_located((By.ID, "report")))
        text = d.find_element(By.ID, "report").text
        for heading in ("一、基本情况", "二、自查情况和工作成效", "三、存在的问题", "四、整改措施和下一步打算"):
            assert heading in text, heading
        assert EVIDENCE in text, "the scored item's evidence appears in the report"
        area = d.find_element(By.CSS_SELECTOR, "#measures textarea")
        area.clear()
        area.send_keys(MEASURES)
        d.find_element(By.CSS_SELECTOR, "#measures button[type=submit]").click()
        WebDriverWait(d, 15, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda drv: MEASURES in drv.find_element(By.ID, "report").text)
        screenshot(d, "report")
        href = d.find_element(By.ID, "report-docx").get_attribute("href")
        status, ctype, body = fetch(d, href)
        assert status == 200 and "wordprocessingml" in ctype
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        assert "禹州市" in xml and MEASURES in xml and "仿宋_GB2312" in xml
    finally:
        d.quit()

    city = make_driver()
    try:
        login(city, server, "xuchang")
        city.get(f"{server}/regions/4110")
        WebDriverWait(city, 15).until(EC.element_to_be_clickable((By.ID, "duty-link"))).click()
        table = WebDriverWait(city, 15).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "table.ranking[data-indicator='preschool_gross_enrolment']")))
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert [r.get_attribute("data-county") for r in rows][-1] == "411081", "禹州市 ranks last on preschool enrolment"
        screenshot(city, "duty-ranking")
    finally:
        city.quit()
