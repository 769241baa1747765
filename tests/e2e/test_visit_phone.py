"""Real-browser test of 挂牌督导 on a phone: the responsible inspector records a visit with a
finding and a photo; the county officer then sees the open rectification case."""

from __future__ import annotations

import base64
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ARTIFACTS_DIR as ARTIFACTS, login, make_driver, screenshot

SCHOOL = "1411081003"
FINDING = "教学楼二楼消防通道堆放课桌椅"

# A clean routine visit to a day school with a canteen; only meal samples are missing.
ANSWERS = {
    "students_enrolled": "600", "is_boarding": "no", "has_canteen": "yes", "mgmt_rules_public": "yes", "mgmt_duty_roster": "yes",
    "mgmt_last_rectification_done": "all_done", "fees_publicised": "yes", "fees_irregular": "no", "enrolment_by_exam": "no",
    "largest_class": "48", "curr_full_timetable": "yes", "curr_minor_subjects_cut": "no", "curr_lessons_observed": "1",
    "curr_lesson_quality": "good", "work_homework_limits": "yes", "work_schedule": "yes", "work_extra_classes": "no",
    "pe_daily_hour": "yes", "pe_eye_exercises": "yes", "health_absent_sick": "2", "health_counselling": "yes",
    "ethics_paid_tutoring": "no", "ethics_records": "yes", "teacher_training": "yes", "safety_gate": "yes", "safety_drills": "1",
    "safety_hazard": "no", "canteen_licence": "yes", "canteen_leader_meals": "yes", "canteen_samples": "no", "water_safe": "yes",
    "ethos_bullying": "yes", "ethos_order": "good",
}

# A 1x1 JPEG.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////"
    "2wBDAf//////////////////////////////////////////////////////////////////////////////////////wAARCAABAAEDASIAAhEBAxEB/8QAFAAB"
    "AAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AKp//2Q==")


def fill(driver, name: str, value: str) -> None:
    elements = driver.find_elements(By.NAME, "a." + name)
    assert elements, f"the form has no field for {name}"
    first = elements[0]
    if first.get_attribute("type") == "radio":
        radio = driver.find_element(By.CSS_SELECTOR, f"input[name='a.{name}'][value='{value}']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", radio)
        radio.click()
    elif first.tag_name == "select":
        Select(first).select_by_value(value)
    else:
        first.clear()
        first.send_keys(value)


def test_inspector_records_visit_on_phone_and_county_sees_case(server):
    photo = ARTIFACTS / "upload-test.jpg"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(JPEG)
    phone = make_driver(390, 844)
    try:
        login(phone, server, "inspector")
        phone.get(f"{server}/schools/{SCHOOL}")
        WebDriverWait(phone, 15).until(EC.element_to_be_clickable((By.ID, "record-visit"))).click()
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "visit-form")))
        assert phone.execute_script("return document.body.scrollWidth") <= 392, "the visit form fits a phone screen"
        for name, value in ANSWERS.items():
            fill(phone, name, value)
        phone.find_element(By.NAME, "people_met").send_keys("校长、总务主任")
        phone.find_element(By.NAME, "finding_description").send_keys(FINDING)
        Select(phone.find_element(By.NAME, "finding_category")).select_by_value("safety")
        phone.find_element(By.CSS_SELECTOR, "input[name='p.visit_photos']").send_keys(str(photo))
        phone.find_element(By.ID, "photos").send_keys(str(photo))
        screenshot(phone, "visit-phone")
        sign = phone.find_element(By.ID, "sign")
        phone.execute_script("arguments[0].scrollIntoView({block: 'center'});", sign)
        sign.click()
        WebDriverWait(phone, 15).until(EC.url_to_be(f"{server}/schools/{SCHOOL}"))
        cases = phone.find_element(By.ID, "school-cases").text
        assert FINDING in cases, f"the new case is listed on the school page: {cases!r}"
        assert ".jpg" in phone.find_element(By.ID, "visits").text, "the photo is linked from the visit"
    finally:
        phone.quit()

    office = make_driver()
    try:
        login(office, server, "yuzhou")
        office.get(f"{server}/regions/411081/supervision?state=assigned")
        table = WebDriverWait(office, 15).until(EC.presence_of_element_located((By.ID, "cases")))
        assert FINDING in table.text, "the county officer sees the open case"
        assert office.find_element(By.ID, "closing-rate").text.endswith("%")
        screenshot(office, "supervision")
    finally:
        office.quit()
