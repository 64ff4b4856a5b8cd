#!/usr/bin/env python3
"""Property-based API test: schemathesis generates requests from /openapi.json for every operation and
checks that the real `petrel serve` never answers with a 5xx, and answers only statuses the document
lists.

Starts the server on a free loopback port with a fresh data directory and the demo bot, logs in as the
administrator and runs schemathesis with that token. Operations that would lock the token out (changing or
deleting users, logging out) and the WebSocket upgrade are left out. Usage: fuzz_api.py PATH/TO/petrel
[MAX_EXAMPLES]
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
import urllib.request

PASSWORD = "fuzz-admin-password"
SEED = "20261202"


def start_server(binary, data):
    env = dict(os.environ, PETREL_ADMIN_PASSWORD=PASSWORD,
               PETREL_JWT_SECRET="7c2e9a4b1d6f3e8a5c0b7d2f9e4a1c6b3d8f5e2a7c4b9d1e6f3a8c5b2d7e4f9a")
    out = open(os.path.join(data, "serve.out"), "w+")
    process = subprocess.Popen([binary, "serve", "--port", "0", "--data-dir", os.path.join(data, "petrel"),
                                "--rate-limit", "0"], stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        out.seek(0)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
        if match:
            return process, int(match.group(1)), out
        if process.poll() is not None:
            break
        time.sleep(0.1)
    out.seek(0)
    raise RuntimeError("petrel serve did not start:\n" + out.read())


def login(port):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/login", method="POST",
        data=json.dumps({"username": "admin", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access_token"]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fuzz_api.py PATH/TO/petrel [MAX_EXAMPLES]")
    binary = os.path.abspath(sys.argv[1])
    examples = sys.argv[2] if len(sys.argv) > 2 else "15"
    try:
        import schemathesis  # noqa: F401  (installed by scripts/test)
    except ImportError:
        sys.exit("schemathesis is not installed (pip install schemathesis)")
    data = tempfile.mkdtemp(prefix="petrel-fuzz-")
    process, port, out = start_server(binary, data)
    try:
        token = login(port)
        command = [
            sys.executable, "-m", "schemathesis.cli", "run", f"http://127.0.0.1:{port}/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "not_a_server_error,status_code_conformance",
            "--max-examples", examples, "--seed", SEED, "--phases", os.environ.get("PETREL_FUZZ_PHASES", "examples,coverage,fuzzing"),
            "--exclude-path", "/ws/bot/status/", "--exclude-path", "/api/v1/auth/logout",
            "--exclude-path-regex", r"^/api/v1/users/",
            "--no-color",
        ]
        result = subprocess.run(command, cwd=data)
        out.seek(0)
        log = out.read()
        failed = [line for line in log.splitlines() if "request failed" in line]
        if failed:
            print("server log lines of failed requests:\n" + "\n".join(failed[:20]))
        if result.returncode != 0 or failed:
            sys.exit(1)
        print("API fuzz test passed")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
