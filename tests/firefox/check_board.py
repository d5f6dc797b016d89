"""Opens a map's board in Firefox (driven over Marionette) and reports what rendered.

Usage: check_board.py PORT URL SCREENSHOT
Waits until the board shows cards and the connection badge says live, then prints one
JSON line {"cards": N, "state": "...", "user_agent": "..."} and writes a screenshot.
"""
import base64
import json
import sys
import time

from marionette_driver.marionette import Marionette

port, url, shot = int(sys.argv[1]), sys.argv[2], sys.argv[3]
client = Marionette(host="127.0.0.1", port=port)
client.start_session()
client.navigate(url)
deadline = time.time() + 30
cards, state = 0, None
while time.time() < deadline:
    cards = client.execute_script(
        "return document.querySelectorAll('[data-testid=\"card\"]').length")
    state = client.execute_script(
        "var e = document.querySelector('[data-testid=\"connection-state\"]');"
        "return e ? e.getAttribute('data-state') : null")
    if cards and state == "live":
        break
    time.sleep(0.25)
with open(shot, "wb") as out:
    out.write(base64.b64decode(client.screenshot()))
print(json.dumps({"cards": cards, "state": state,
                  "user_agent": client.execute_script("return navigator.userAgent")}))
client.delete_session()
