"""Real-browser test of the long lists an office pages through: 禹州's rectification list a page
of 50 at a time (the next page, the state filter with its count), and the change log searched by
type and followed to older entries, on a phone-sized window."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import login, make_driver, screenshot


def test_rectification_list_and_change_log_a_page_at_a_time(server):
    phone = make_driver(390, 844)
    try:
        login(phone, server, "yuzhou")
        phone.get(f"{server}/regions/411081/supervision")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "cases")))
        first = [r.get_attribute("data-case") for r in phone.find_elements(By.CSS_SELECTOR, "#cases tbody tr")]
        assert len(first) == 50
        pager = phone.find_element(By.ID, "cases-pager")
        phone.execute_script("arguments[0].scrollIntoView({block: 'center'});", pager)
        screenshot(phone, "supervision-phone-pager")
        pager.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
        WebDriverWait(phone, 15).until(lambda d: "page=2" in d.current_url)
        second = [r.get_attribute("data-case") for r in phone.find_elements(By.CSS_SELECTOR, "#cases tbody tr")]
        assert second and not set(second) & set(first)
        assert phone.find_elements(By.CSS_SELECTOR, "#cases-pager a[rel=prev]")
        # The state filter says how many there are, and lists only those.
        closed = phone.find_element(By.CSS_SELECTOR, "a[href='?state=closed']")
        count = int(closed.text.split()[-1])
        closed.click()
        WebDriverWait(phone, 15).until(lambda d: "state=closed" in d.current_url)
        states = {r.get_attribute("data-state") for r in phone.find_elements(By.CSS_SELECTOR, "#cases tbody tr")}
        assert states == {"closed"} and len(phone.find_elements(By.CSS_SELECTOR, "#cases tbody tr")) == min(count, 50)

        # The change log: by type, then older entries.
        phone.get(f"{server}/audit")
        form = WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "audit-search")))
        form.find_element(By.NAME, "type").send_keys("rectification")
        screenshot(phone, "audit-phone-search")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(phone, 15).until(lambda d: "type=rectification" in d.current_url)
        rows = phone.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        assert len(rows) == 50 and all("rectification" in r.text for r in rows)
        newest = rows[0].text
        older = phone.find_element(By.ID, "audit-next")
        phone.execute_script("arguments[0].scrollIntoView({block: 'center'});", older)
        older.click()
        WebDriverWait(phone, 15).until(lambda d: "before=" in d.current_url)
        rows = phone.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        assert rows and newest not in [r.text for r in rows] and all("rectification" in r.text for r in rows)
        screenshot(phone, "audit-phone-older")
    finally:
        phone.quit()
