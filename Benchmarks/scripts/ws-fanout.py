#!/usr/bin/env python3
"""WebSocket fan-out benchmark: N clients on /ws/bot/status/ while one bot replays 10 candles a second.

Reports how many price updates each client received per second, how many clients were dropped, and how
many candles the bot processed during the window with the clients connected compared with the same
window without them (if the clients slowed the bot, it would process fewer).
Usage: ws-fanout.py PETREL_BINARY WORK_DIR CLIENTS SECONDS
"""
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

import websockets

CONFIG = {
    "broker": {"type": "paper", "initial_balance": 10000.0, "commission": 0.001},
    "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1},
    "data": {"data_source": "simulated", "symbol": "BTCUSDT", "interval": "15m", "lookback_bars": 30, "speed": 9000},
    "strategy": {"type": "ma_crossover", "params": {"fast_period": 5, "slow_period": 15, "ma_type": "ema"}},
}


def call(port, method, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def candles(port, token):
    status = call(port, "GET", "/api/v1/bots/fan/status", token)
    return status["feed"]["data_points"]


async def client(port, token, seconds, counts, index, ready):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/bot/status/",
                                  additional_headers={"Authorization": f"Bearer {token}"},
                                  max_queue=None, open_timeout=60) as ws:
        await ws.recv()
        ready.append(index)
        end = time.monotonic() + seconds
        try:
            while True:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    break
                message = await asyncio.wait_for(ws.recv(), timeout=remaining)
                if '"price_update"' in message:
                    counts[index] += 1
        except asyncio.TimeoutError:
            pass
        except websockets.ConnectionClosed:
            counts[index] = -1 - counts[index]


async def fanout(port, token, clients, seconds):
    counts = [0] * clients
    ready = []
    tasks = [asyncio.create_task(client(port, token, seconds, counts, i, ready)) for i in range(clients)]
    while len(ready) < clients and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    before = candles(port, token)
    await asyncio.gather(*tasks, return_exceptions=True)
    after = candles(port, token)
    return counts, after - before


def main():
    binary, work, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    env = dict(os.environ)
    out = open(os.path.join(work + ".out"), "w+")
    server = subprocess.Popen([binary, "serve", "--port", "0", "--data-dir", work, "--no-demo", "--rate-limit", "0"],
                              stdout=out, stderr=subprocess.DEVNULL, env=env)
    try:
        port = None
        for _ in range(2000):
            out.seek(0)
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
            if match:
                port = int(match.group(1))
                break
            time.sleep(0.01)
        token = call(port, "POST", "/api/v1/auth/login", body={"username": "admin", "password": env["PETREL_ADMIN_PASSWORD"]})["access_token"]
        call(port, "POST", "/api/v1/bots", token, {"id": "fan", "config": CONFIG})
        call(port, "POST", "/api/v1/bots/fan/start", token)
        time.sleep(3)
        start = candles(port, token)
        time.sleep(seconds)
        alone = candles(port, token) - start
        counts, with_clients = asyncio.run(fanout(port, token, clients, seconds))
        received = [c for c in counts if c >= 0]
        dropped = sum(1 for c in counts if c < 0)
        rates = [c / seconds for c in received]
        print(f"bot alone: {alone} candles in {seconds} s ({alone / seconds:.1f}/s)")
        print(f"with {clients} clients: {with_clients} candles in {seconds} s ({with_clients / seconds:.1f}/s)")
        if rates:
            print(f"price updates per client per second: median {statistics.median(rates):.2f}, min {min(rates):.2f}, max {max(rates):.2f}")
        print(f"clients dropped as too slow: {dropped}; messages delivered: {sum(received)}")
        with open(f"/proc/{server.pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        print(f"server RSS with {clients} clients: {rss // 1024} MiB")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
