"""Real-browser test of 数据填报与审核: a county officer opens a round, enters a return in the
web form, submits the schools and approves the county."""

from __future__ import annotations

import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import login, make_driver, screenshot

SCHOOLS = ["1411081001", "1411081002"]


def wait(driver, timeout: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def test_county_officer_enters_submits_and_approves(server):
    driver = make_driver()
    try:
        login(driver, server, "yuzhou")

        # Open a round for two schools of the county.
        driver.get(server + "/rounds")
        form = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form[action='/rounds']")))
        year = form.find_element(By.NAME, "year")
        year.clear()
        year.send_keys("2024")
        form.find_element(By.NAME, "title").send_keys(f"浏览器测试 {time.time():.0f}")
        form.find_element(By.NAME, "schools").send_keys("\n".join(SCHOOLS))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(driver).until(lambda d: re.search(r"/rounds/[0-9a-f-]{36}$", d.current_url))
        round_url = driver.current_url
        rows = driver.find_elements(By.CSS_SELECTOR, "table#units tbody tr[data-unit]")
        assert sorted(r.get_attribute("data-unit") for r in rows) == SCHOOLS, "the round lists exactly the chosen schools"
        assert all(r.get_attribute("data-state") == "draft" for r in rows), "imported returns start as drafts"

        # Enter a return in the web form: change the books of the first school.
        driver.get(f"{server}/schools/{SCHOOLS[0]}/returns/2024/edit")
        books = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#form-primary input[name=books]")))
        books.clear()
        books.send_keys("23456")
        driver.find_element(By.CSS_SELECTOR, "#form-primary button[type=submit]").click()
        wait(driver).until(EC.url_to_be(f"{server}/schools/{SCHOOLS[0]}"))
        assert "23456" in driver.find_element(By.ID, "returns").text, "the saved value shows on the school page"
        assert "books=23456" in driver.page_source, "the change is in the history"

        # Submit both schools, then approve the county.
        for code in SCHOOLS:
            driver.get(round_url)
            button = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"tr[data-unit='{code}'] button.submit")))
            button.click()
            wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"tr[data-unit='{code}'][data-state='submitted']")))
        approve = wait(driver).until(EC.element_to_be_clickable((By.ID, "approve-own")))
        approve.click()
        wait(driver).until(EC.presence_of_element_located((By.ID, "own-approved")))
        assert not driver.find_elements(By.CSS_SELECTOR, "table#units a.enter"), "no entry links on locked schools"
        screenshot(driver, "round-approved")

        # Approved data is locked: the entry form says so and offers no form.
        driver.get(f"{server}/schools/{SCHOOLS[0]}/returns/2024/edit")
        flash = wait(driver).until(EC.presence_of_element_located((By.ID, "flash")))
        assert "锁定" in flash.text, f"expected a lock message, got {flash.text!r}"
        assert not driver.find_elements(By.CSS_SELECTOR, "#form-primary"), "no entry form on locked data"
    finally:
        driver.quit()
