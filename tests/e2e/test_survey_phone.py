"""Real-browser test of an anonymous survey: the county office makes a link, a parent answers
it on a phone-sized window without signing in, the link then says it has been used, and the
office sees the response counted."""

from __future__ import annotations

import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import login, make_driver, screenshot


def fetch(driver, url: str) -> str:
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read().decode("utf-8")


def test_parent_answers_on_a_phone_and_the_office_counts_it(server):
    office = make_driver()
    phone = make_driver(390, 844)
    try:
        login(office, server, "yuzhou")
        office.get(f"{server}/regions/411081/surveys")
        form = WebDriverWait(office, 15).until(EC.presence_of_element_located((By.ID, "new-campaign")))
        Select(form.find_element(By.NAME, "survey")).select_by_value("parents-satisfaction")
        Select(form.find_element(By.NAME, "group")).select_by_value("parents")
        links = form.find_element(By.NAME, "links")
        links.clear()
        links.send_keys("1")
        form.find_element(By.NAME, "school").send_keys("1411081001")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(office, 15).until(EC.presence_of_element_located((By.ID, "totals")))
        campaign = office.current_url.split("?")[0]
        assert office.find_element(By.ID, "responses").text == "0"
        screenshot(office, "survey-campaign-new")
        rows = fetch(office, campaign + "/links.csv").lstrip("\ufeff").strip().splitlines()
        assert len(rows) == 2, rows
        link = rows[1].split(",")[3]
        assert "/s/" in link

        # The parent: no account, a phone, Chinese, no JavaScript needed.
        phone.get(link)
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.survey")))
        assert "家长卷" in phone.page_source
        for item in phone.find_elements(By.CSS_SELECTOR, "form.survey .item"):
            radios = item.find_elements(By.CSS_SELECTOR, "input[type=radio]")
            if radios:
                phone.execute_script("arguments[0].scrollIntoView({block: 'center'});", radios[0])
                radios[0].click()
        phone.find_element(By.CSS_SELECTOR, "textarea").send_keys("希望增加课后服务")
        screenshot(phone, "survey-phone-answered")
        phone.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
        WebDriverWait(phone, 15).until(lambda d: "survey-thanks" in d.current_url)
        assert "感谢" in phone.page_source
        screenshot(phone, "survey-phone-thanks")
        phone.get(link)
        WebDriverWait(phone, 15).until(lambda d: "已使用" in d.page_source)
        screenshot(phone, "survey-phone-used")

        office.get(campaign)
        assert WebDriverWait(office, 15).until(EC.presence_of_element_located((By.ID, "responses"))).text == "1"
        screenshot(office, "survey-campaign-counted")
    finally:
        office.quit()
        phone.quit()
