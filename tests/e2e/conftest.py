"""Fixtures for Dudao's real-browser (Selenium + Debian Chromium) tests.

Environment:
  DUDAO_BIN       path to the built app binary
                  (default: <repo>/.build/debug/dudao)
  DUDAO_BASE_URL  if set, test against this already-running server instead of
                  starting one (e.g. http://127.0.0.1:8080)
  CHROMIUM_BIN    browser binary      (default: /usr/bin/chromium)
  CHROMEDRIVER    driver binary       (default: /usr/bin/chromedriver)
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
ARTIFACTS_DIR = E2E_DIR / "artifacts"

DEFAULT_BIN = REPO_ROOT / ".build" / "debug" / "dudao"
CHROMIUM_BIN = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER_BIN = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

STARTUP_TIMEOUT_S = 120
DESKTOP_SIZE = (1280, 900)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def screenshot(driver, name: str) -> Path:
    """Save a PNG of the current viewport as tests/e2e/artifacts/<name>.png."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = ARTIFACTS_DIR / f"{safe}.png"
    if not driver.save_screenshot(str(path)):
        raise AssertionError(f"could not save screenshot {path}")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "<no output>"
    return "\n".join(text.splitlines()[-lines:]) or "<empty>"


def _healthz_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start `dudao serve --demo` on a free port; yield its base URL."""
    external = os.environ.get("DUDAO_BASE_URL")
    if external:
        base = external.rstrip("/")
        if not _healthz_ok(base + "/healthz"):
            pytest.fail(f"DUDAO_BASE_URL={base} but {base}/healthz is not 200")
        yield base
        return

    binary = Path(os.environ.get("DUDAO_BIN", str(DEFAULT_BIN)))
    if not binary.is_file() or not os.access(binary, os.X_OK):
        pytest.fail(
            f"app binary not found or not executable: {binary} "
            "(build it with `swift build`, or set DUDAO_BIN)"
        )

    workdir = tmp_path_factory.mktemp("dudao")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        str(binary), "serve", "--demo",
        "--host", "127.0.0.1", "--port", str(port),
        "--db", str(workdir / "demo.sqlite"),
    ]
    out_path, err_path = workdir / "server.stdout", workdir / "server.stderr"
    out_f, err_f = open(out_path, "wb"), open(err_path, "wb")
    proc = subprocess.Popen(
        cmd, cwd=str(REPO_ROOT), stdout=out_f, stderr=err_f,
        stdin=subprocess.DEVNULL,
    )

    def stop():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        out_f.close()
        err_f.close()

    def startup_failure(reason: str):
        stop()
        pytest.fail(
            f"{reason}\ncommand: {' '.join(cmd)}\n"
            f"--- stdout (tail) ---\n{_tail(out_path)}\n"
            f"--- stderr (tail) ---\n{_tail(err_path)}",
            pytrace=False,
        )

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            startup_failure(f"dudao exited early with code {proc.returncode}")
        if _healthz_ok(base + "/healthz"):
            break
        if time.monotonic() > deadline:
            startup_failure(
                f"{base}/healthz did not return 200 within {STARTUP_TIMEOUT_S} s"
            )
        time.sleep(0.25)

    try:
        yield base
    finally:
        stop()


def make_chrome_options(width: int = DESKTOP_SIZE[0], height: int = DESKTOP_SIZE[1]):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM_BIN
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--lang=zh-CN",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        opts.add_argument(arg)
    # --lang alone does not set Accept-Language in headless mode.
    opts.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return opts


def make_driver(width: int = DESKTOP_SIZE[0], height: int = DESKTOP_SIZE[1]):
    driver = webdriver.Chrome(
        service=Service(CHROMEDRIVER_BIN),
        options=make_chrome_options(width, height),
    )
    driver.set_page_load_timeout(30)
    driver.set_window_size(width, height)
    return driver


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


DEMO_PASSWORD = "dudao-demo"


def login(driver, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would; the session cookie stays with the driver."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + "/login")
    WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.NAME, "username")))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    WebDriverWait(driver, 15).until(lambda d: "/login" not in d.current_url)


@pytest.fixture
def browser(request, server):
    """A fresh headless Chromium per test (1280x900, zh-CN), signed in as the demo administrator.

    On test failure a screenshot FAILED-<test>.png is saved in artifacts/.
    """
    driver = make_driver()
    login(driver, server, "admin")
    try:
        yield driver
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                screenshot(driver, f"FAILED-{request.node.name}")
            except Exception:  # noqa: BLE001 - best effort only
                pass
        driver.quit()
