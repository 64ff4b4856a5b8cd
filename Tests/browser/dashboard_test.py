#!/usr/bin/env python3
"""Browser test of the dashboard in real headless Chromium (selenium + Debian's chromium-driver).

Starts the real `petrel serve` on a free loopback port with a fresh data directory, then: logs in, creates a
bot with the create-bot form (strategy picker and the parameter form generated from its schema), starts
it, waits for one of its trades to arrive live in the overview's trade feed (WebSocket), stops it; runs a
backtest on the simulated market (a validation error first) and opens its result; checks the analytics
page lists the bot; discovers, adds and disables a symbol; adds a trading pair on the settings page, changes
its priority, disables it, is refused a duplicate and deletes it; stores the server's notification
channels (a bad chat id refused and marked, a webhook whose secret is never shown again); finds a coin with the create-bot form's
symbol search; and checks that the browser logged no errors.
Screenshots go to $PETREL_SCREENSHOTS (default .build/screenshots). Usage: dashboard_test.py PATH/TO/petrel
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "browser-admin-password"


def start_server(binary, data):
    env = dict(os.environ, PETREL_ADMIN_PASSWORD=PASSWORD,
               PETREL_JWT_SECRET="4b1d9e7a3c5f2e8d6a0b9c1e3f5a7d2b4c6e8f0a1d3b5c7e9f2a4b6d8c0e1f3a")
    out = open(os.path.join(data, "serve.out"), "w+")
    process = subprocess.Popen([binary, "serve", "--port", "0", "--data-dir", os.path.join(data, "petrel"),
                                "--no-demo", "--rate-limit", "0"], stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        out.seek(0)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
        if match:
            return process, int(match.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.1)
    out.seek(0)
    raise RuntimeError("petrel serve did not start:\n" + out.read())


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def main():
    binary = os.path.abspath(sys.argv[1])
    shots = os.path.abspath(os.environ.get("PETREL_SCREENSHOTS", ".build/screenshots"))
    os.makedirs(shots, exist_ok=True)
    data = tempfile.mkdtemp(prefix="petrel-browser-")
    server, port = start_server(binary, data)
    driver = browser()
    wait = WebDriverWait(driver, 30)
    base = f"http://127.0.0.1:{port}"
    try:
        driver.get(base + "/")
        wait.until(EC.visibility_of_element_located((By.ID, "username"))).send_keys("admin")
        driver.find_element(By.ID, "password").send_keys("wrong-password")
        driver.find_element(By.ID, "login-button").click()
        alert = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".errors li")))
        assert "wrong username or password" in alert.text, alert.text
        driver.save_screenshot(os.path.join(shots, "01-login-error.png"))
        password = driver.find_element(By.ID, "password")
        password.clear()
        password.send_keys(PASSWORD)
        driver.find_element(By.ID, "login-button").click()
        wait.until(EC.visibility_of_element_located((By.ID, "total-equity")))
        wait.until(EC.text_to_be_present_in_element((By.ID, "live"), "live"))
        driver.save_screenshot(os.path.join(shots, "02-overview.png"))

        driver.get(base + "/#/bots")
        form = wait.until(EC.visibility_of_element_located((By.ID, "create-bot")))
        Select(driver.find_element(By.ID, "strategy")).select_by_value("ma_crossover")
        wait.until(EC.presence_of_element_located((By.ID, "param-fast_period")))
        fast = driver.find_element(By.ID, "param-fast_period")
        fast.clear()
        fast.send_keys("5")
        slow = driver.find_element(By.ID, "param-slow_period")
        slow.clear()
        slow.send_keys("15")
        driver.find_element(By.ID, "bot-id").send_keys("browser")
        driver.find_element(By.ID, "bot-name").send_keys("Browser test bot")
        speed = driver.find_element(By.ID, "speed")
        speed.clear()
        speed.send_keys("20000")
        # A bad value first: the API's validation message must be shown next to the form.
        driver.find_element(By.ID, "balance").clear()
        driver.find_element(By.ID, "balance").send_keys("-5")
        driver.execute_script("document.getElementById('balance').removeAttribute('min')")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        error = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#create-bot .errors li")))
        assert "initial_balance" in error.text, error.text
        assert driver.find_element(By.ID, "balance").get_attribute("aria-invalid") == "true", "the balance input is not marked"
        driver.save_screenshot(os.path.join(shots, "03-create-bot-validation.png"))
        driver.find_element(By.ID, "balance").clear()
        driver.find_element(By.ID, "balance").send_keys("10000")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        start = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[aria-label='Start browser']")))
        driver.save_screenshot(os.path.join(shots, "04-bot-created.png"))
        start.click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "button[aria-label='Stop browser']")))

        driver.get(base + "/#/overview")
        trade = WebDriverWait(driver, 60).until(
            EC.visibility_of_element_located((By.XPATH, "//ul[@id='trade-feed']/li[contains(., 'browser')]")))
        assert "BTC/USDT" in trade.text, trade.text
        time.sleep(1)
        lines = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#trade-feed li")]
        assert len(lines) == len(set(lines)), "a trade was shown twice: " + json.dumps(lines)
        driver.save_screenshot(os.path.join(shots, "05-live-trade.png"))

        driver.get(base + "/#/bots/browser")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "svg.chart rect")))
        wait.until(EC.presence_of_element_located((By.ID, "config")))
        driver.save_screenshot(os.path.join(shots, "06-bot-detail.png"))
        driver.find_element(By.XPATH, "//button[normalize-space()='Stop']").click()
        wait.until(EC.presence_of_element_located((By.XPATH, "//h1/span[contains(@class,'pill') and normalize-space()='stopped']")))
        driver.save_screenshot(os.path.join(shots, "07-bot-stopped.png"))

        driver.get(base + "/#/history")
        wait.until(EC.visibility_of_element_located((By.ID, "history-filters")))
        Select(driver.find_element(By.ID, "f-status")).select_by_value("EXECUTED")
        driver.find_element(By.CSS_SELECTOR, "#history-filters button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "history-results"), "trades"))
        driver.save_screenshot(os.path.join(shots, "08-trade-history.png"))

        driver.get(base + "/#/settings")
        account = wait.until(EC.visibility_of_element_located((By.ID, "account-form")))
        driver.find_element(By.ID, "acct-name").send_keys("binance-main")
        driver.find_element(By.ID, "acct-key").send_keys("BROWSERKEY12345678ABCD")
        driver.find_element(By.ID, "acct-secret").send_keys("browser-secret-value")
        account.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "accounts"), "ABCD"))
        assert "BROWSERKEY12345678" not in driver.find_element(By.ID, "accounts").text
        risk = driver.find_element(By.ID, "risk_tolerance")
        risk.clear()
        risk.send_keys("1.5")
        driver.execute_script("document.getElementById('risk_tolerance').removeAttribute('max')")
        driver.find_element(By.CSS_SELECTOR, "#bot-config button[type=submit]").click()
        problem = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#bot-config .errors li")))
        assert "risk_tolerance" in problem.text, problem.text
        driver.save_screenshot(os.path.join(shots, "09-settings.png"))

        driver.set_window_size(390, 844)
        driver.get(base + "/#/bots")
        wait.until(EC.visibility_of_element_located((By.ID, "bot-list")))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the bots page scrolls sideways on a phone: {width}px"
        driver.save_screenshot(os.path.join(shots, "10-phone.png"))

        driver.set_window_size(1280, 1000)
        driver.get(base + "/#/backtests")
        run = wait.until(EC.visibility_of_element_located((By.ID, "backtest-form")))
        picker = Select(driver.find_element(By.ID, "bt-strategy"))
        names = [option.get_attribute("value") for option in picker.options]
        picker.select_by_value("volatile" if "volatile" in names else names[0])
        Select(driver.find_element(By.ID, "bt-source")).select_by_value("simulated")
        driver.find_element(By.ID, "bt-name").send_keys("browser backtest")
        candles = driver.find_element(By.ID, "bt-candles")
        candles.clear()
        candles.send_keys("3000")
        # A bad value first: the API's validation message must be shown next to the form, the field marked.
        fee = driver.find_element(By.ID, "bt-fee")
        fee.clear()
        fee.send_keys("5")
        driver.execute_script("document.getElementById('bt-fee').removeAttribute('max')")
        run.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        error = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#backtest-form .errors li")))
        assert "fee" in error.text, error.text
        assert fee.get_attribute("aria-invalid") == "true", "the fee input is not marked invalid"
        driver.save_screenshot(os.path.join(shots, "11-backtest-validation.png"))
        fee.clear()
        fee.send_keys("0.001")
        run.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

        def finished(driver):
            for row in driver.find_elements(By.XPATH, "//div[@id='backtest-jobs']//tr[contains(., 'browser backtest')]"):
                if "failed" in row.text:
                    raise AssertionError("the backtest failed: " + row.text)
                links = row.find_elements(By.XPATH, ".//a[normalize-space()='View']")
                if links:
                    return links[0]
            return False

        WebDriverWait(driver, 60, ignored_exceptions=[StaleElementReferenceException]).until(finished).click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#bt-equity svg.chart polyline")))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#bt-drawdown svg.chart")))
        trades = int(driver.find_element(By.ID, "bt-stat-trades").text.replace(",", ""))
        rows = driver.find_elements(By.CSS_SELECTOR, "#bt-trades table tbody tr")
        assert len(rows) == min(trades, 200), f"{len(rows)} trade rows shown for {trades} trades"
        driver.save_screenshot(os.path.join(shots, "12-backtest-result.png"))
        # The report comes with the token (a fetch), then downloads from a Blob URL.
        downloads = os.path.join(data, "downloads")
        os.makedirs(downloads, exist_ok=True)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        driver.find_element(By.ID, "bt-download").click()
        WebDriverWait(driver, 15).until(lambda _: any(
            name.startswith("petrel-backtest-") and name.endswith(".html") for name in os.listdir(downloads)))

        driver.get(base + "/#/analytics")
        wait.until(EC.text_to_be_present_in_element((By.ID, "perf-bots"), "browser"))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#risk-bots table")))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#analytics-trades .actions")))
        page_text = driver.find_element(By.TAG_NAME, "main").text
        assert "null" not in page_text.split() and "undefined" not in page_text, page_text
        driver.save_screenshot(os.path.join(shots, "13-analytics.png"))

        driver.get(base + "/#/symbols")
        wait.until(EC.visibility_of_element_located((By.ID, "discover-form")))
        venue = driver.find_element(By.ID, "disc-venue")
        venue.clear()
        venue.send_keys("simulated")
        driver.find_element(By.CSS_SELECTOR, "#discover-form button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "discover-results"), "SIMULATED"))
        add = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#discover-results button[aria-label^='Add ']")))
        symbol = add.get_attribute("aria-label")[len("Add "):]
        add.click()
        wait.until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, f"#symbols-table button[aria-label='Disable {symbol} on simulated']"))).click()
        wait.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, f"#symbols-table button[aria-label='Enable {symbol} on simulated']")))
        driver.save_screenshot(os.path.join(shots, "14-symbols.png"))

        # The portfolio bot's trading pairs: add, change the priority inline, disable, a duplicate, delete.
        driver.get(base + "/#/settings")
        pair_form = wait.until(EC.visibility_of_element_located((By.ID, "add-pair")))
        driver.find_element(By.ID, "pair-symbol").send_keys("ETH-USD")
        pair_priority = driver.find_element(By.ID, "pair-priority")
        pair_priority.clear()
        pair_priority.send_keys("5")
        pair_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        priority = wait.until(EC.visibility_of_element_located((By.ID, "priority-ETH-USD")))
        assert priority.get_attribute("value") == "5", priority.get_attribute("value")
        # Not clear(): WebDriver's clear fires a change event of its own (an empty priority, which is ignored).
        priority.send_keys(Keys.CONTROL, "a")
        priority.send_keys("7", Keys.TAB)  # leaving the input commits the change
        wait.until(lambda d: "priority 7" in d.find_element(By.ID, "toast").text)
        driver.refresh()
        wait.until(lambda d: d.find_element(By.ID, "priority-ETH-USD").get_attribute("value") == "7")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#pairs-table button[aria-label='Disable ETH-USD']"))).click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#pairs-table button[aria-label='Enable ETH-USD']")))
        row = driver.find_element(By.CSS_SELECTOR, "#pairs-table tr[data-pair='ETH-USD']")
        assert "disabled" in row.text, row.text
        pair_form = driver.find_element(By.ID, "add-pair")
        driver.find_element(By.ID, "pair-symbol").send_keys("ETH-USD")
        pair_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        conflict = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#add-pair .errors li")))
        assert "already a trading pair" in conflict.text, conflict.text
        assert driver.find_element(By.ID, "pair-symbol").get_attribute("aria-invalid") == "true", "the pair input is not marked"
        driver.save_screenshot(os.path.join(shots, "15-trading-pairs.png"))
        driver.execute_script("window.confirm = () => true")
        driver.find_element(By.CSS_SELECTOR, "#pairs-table button[aria-label='Delete ETH-USD']").click()
        wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "#pairs-table tr[data-pair='ETH-USD']")))

        # The server's notification channels: a bad chat id is named and marked; a webhook is stored with
        # its secret sealed (never shown again), and the page says it sends.
        driver.get(base + "/#/settings")
        wait.until(EC.visibility_of_element_located((By.ID, "nt-form")))
        driver.find_element(By.ID, "nt-enabled").click()
        driver.find_element(By.ID, "nt-telegram-enabled").click()
        driver.find_element(By.ID, "nt-telegram-chat_ids").send_keys("not-a-chat")
        driver.find_element(By.CSS_SELECTOR, "#nt-form button[type=submit]").click()
        problem = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#nt-errors li")))
        assert "$.notifications.telegram.chat_ids" in problem.text, problem.text
        assert driver.find_element(By.ID, "nt-telegram-chat_ids").get_attribute("aria-invalid") == "true"
        driver.find_element(By.ID, "nt-telegram-enabled").click()
        driver.find_element(By.ID, "nt-telegram-chat_ids").clear()
        driver.find_element(By.ID, "nt-webhook-enabled").click()
        driver.find_element(By.ID, "nt-webhook-url").send_keys("https://hooks.example.com/petrel")
        driver.find_element(By.ID, "nt-webhook-secret").send_keys("browser-webhook-secret")
        driver.find_element(By.CSS_SELECTOR, "input[name=webhook-events][value=error]").click()
        driver.find_element(By.CSS_SELECTOR, "#nt-form button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "nt-status"), "Sending now: webhook"))
        secret_input = driver.find_element(By.ID, "nt-webhook-secret")
        assert secret_input.get_attribute("value") == "", "the stored secret was shown"
        assert "stored" in secret_input.get_attribute("placeholder")
        assert not driver.find_element(By.ID, "nt-webhook-secret-remove").is_selected()
        assert "browser-webhook-secret" not in driver.page_source
        driver.refresh()
        wait.until(EC.text_to_be_present_in_element((By.ID, "nt-status"), "Sending now: webhook"))
        assert driver.find_element(By.ID, "nt-webhook-url").get_attribute("value") == "https://hooks.example.com/petrel"
        driver.execute_script("document.getElementById('nt-title').scrollIntoView()")
        driver.save_screenshot(os.path.join(shots, "17-notifications.png"))

        # The create-bot form's symbol search fills the symbol input's datalist.
        driver.get(base + "/#/bots")
        wait.until(EC.visibility_of_element_located((By.ID, "create-bot")))
        symbol_input = driver.find_element(By.ID, "symbol")
        assert symbol_input.get_attribute("list") == "symbol-options"
        symbol_input.clear()
        symbol_input.send_keys("eth")
        options_js = "return [...document.querySelectorAll('#symbol-options option')].map((o) => o.value + ' ' + o.textContent)"
        WebDriverWait(driver, 15).until(lambda d: any("ETH" in text for text in d.execute_script(options_js)))
        options = driver.execute_script(options_js)
        assert any(text.startswith("ETHUSDT ") for text in options), options
        assert not any("SWAP" in text for text in options), "a swap was offered: " + json.dumps(options)
        assert "simulated venue" in driver.find_element(By.ID, "symbol-hint").text
        driver.save_screenshot(os.path.join(shots, "16-symbol-search.png"))

        driver.set_window_size(390, 844)
        for page, ready in (("backtests", "backtest-jobs"), ("analytics", "perf-bots"), ("symbols", "symbol-list"),
                            ("settings", "pair-list")):
            driver.get(base + "/#/" + page)
            wait.until(EC.visibility_of_element_located((By.ID, ready)))
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 400, f"the {page} page scrolls sideways on a phone: {width}px"

        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
                  and "wrong username" not in entry["message"] and "401" not in entry["message"]
                  and "400" not in entry["message"] and "409" not in entry["message"]]
        assert not errors, "browser errors: " + json.dumps(errors, indent=2)
        print(f"dashboard browser test passed; screenshots in {shots}")
    except Exception:
        driver.save_screenshot(os.path.join(shots, "failure.png"))
        with open(os.path.join(shots, "failure.html"), "w") as page:
            page.write(driver.page_source)
        raise
    finally:
        driver.quit()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "killed"
        shutil.rmtree(data, ignore_errors=True)
    if code != 0:
        raise SystemExit(f"petrel serve exited with {code} after SIGTERM")


if __name__ == "__main__":
    main()
