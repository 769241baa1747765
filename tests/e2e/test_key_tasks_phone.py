"""Real-browser test of key-task supervision: 禹州's office reports progress on the city's
task from a phone-sized window, the city office sees it awaiting review and accepts it, the
task's completion moves, and the city issues a supervision letter from the late task."""

from __future__ import annotations

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import login, make_driver, screenshot


def open_task(driver, server, title: str) -> None:
    driver.get(f"{server}/regions/411081/key-tasks" if "禹州" in title else f"{server}/regions/4110/key-tasks")
    WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.ID, "targets")))
    driver.find_element(By.PARTIAL_LINK_TEXT, "学位建设").click()
    WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.ID, "tasks")))
    driver.find_element(By.LINK_TEXT, title).click()
    WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.ID, "completion")))


def test_county_reports_on_a_phone_and_the_city_accepts_and_escalates(server):
    phone = make_driver(390, 844)
    city = make_driver()
    try:
        login(phone, server, "yuzhou")
        # Signing in shows what is due: the city's late task is on the list.
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "agenda")))
        assert phone.current_url.endswith("/agenda") and "禹州市新建城区学校" in phone.find_element(By.ID, "agenda").text
        screenshot(phone, "agenda-phone")
        open_task(phone, server, "禹州市新增学位")
        before = phone.find_element(By.ID, "completion").text
        form = phone.find_element(By.ID, "report")
        form.find_element(By.NAME, "value").send_keys("1600")
        form.find_element(By.NAME, "narrative").send_keys("新校区二期投用")
        phone.execute_script("arguments[0].scrollIntoView({block: 'center'});", form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        screenshot(phone, "key-task-phone-report")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(phone, 15).until(lambda d: "新校区二期投用" in d.page_source)
        assert "待审核" in phone.page_source
        assert phone.find_element(By.ID, "completion").text == before  # not counted until accepted
        screenshot(phone, "key-task-phone-reported")

        login(city, server, "xuchang")
        city.get(f"{server}/regions/4110/key-tasks")
        review = WebDriverWait(city, 15).until(EC.presence_of_element_located((By.ID, "to-review")))
        review.find_element(By.PARTIAL_LINK_TEXT, "禹州市新增学位").click()
        WebDriverWait(city, 15).until(EC.presence_of_element_located((By.ID, "reports")))
        row = [r for r in city.find_elements(By.CSS_SELECTOR, "#reports tbody tr") if "新校区二期投用" in r.text][0]
        row.find_element(By.CSS_SELECTOR, "button[value='1']").click()
        # The form posts and the page reloads: the old page's elements go stale on the way.
        WebDriverWait(city, 15, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
            lambda d: d.find_element(By.ID, "completion").text == "80.00%")
        screenshot(city, "key-task-accepted")

        # The late task: a supervision letter, numbered, in the official layout.
        open_task(city, server, "禹州市新建城区学校")
        form = city.find_element(By.ID, "issue-letter")
        Select(form.find_element(By.NAME, "kind")).select_by_value("supervision")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        letter = WebDriverWait(city, 15).until(EC.presence_of_element_located((By.ID, "letter")))
        assert "许督办〔" in letter.text and "督办函" in letter.text and "禹州市教育局：" in letter.text
        screenshot(city, "key-task-letter")

        city.get(f"{server}/regions/4110/dispatch")
        ranking = WebDriverWait(city, 15).until(EC.presence_of_element_located((By.ID, "ranking")))
        assert "禹州市教育局" in ranking.text and "长葛市教育局" in ranking.text
        screenshot(city, "key-task-dispatch")
    finally:
        phone.quit()
        city.quit()
