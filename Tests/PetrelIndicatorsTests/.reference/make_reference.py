#!/usr/bin/env python3
"""Independent numpy reference values for PetrelIndicators' tests.

Reads the first 500 rows of binance_BTCUSDT_1m_2024-01.csv from the shared market-data folder
($PETREL_DATA_DIR, else ../shared/data beside the repository) and writes
btcusdt_1m_2024-01_first500.csv beside this script: one row per candle, one column per
indicator output, empty where TA-Lib would have no value yet.

Definitions follow TA-Lib (written here from the published formulas, vectorised where the
formula allows; no code is shared with the Swift implementation):
  sma_20, ema_20 (SMA seed), rsi_14 (Wilder, SMA seed of the first 14 changes),
  bbands_20_2 (SMA +/- 2 population std dev, np.std two-pass), atr_14 (TRs of bars 1..14
  averaged, then Wilder), macd_12_26_9 (fast EMA seeded on the 12 closes ending at index 25,
  TA-Lib's alignment), stoch_14_3_3 (SMA-smoothed slow %K/%D), willr_14, cci_20.

Run:  python3 Tests/PetrelIndicatorsTests/.reference/make_reference.py

The folder name starts with a dot so that SwiftPM does not report these files as unhandled
resources of the test target (the tests read the CSV by path, not as a resource).
"""
import os
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ROWS = 500
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.environ.get("PETREL_DATA_DIR") or os.path.join(os.path.dirname(REPO), "shared", "data")
SOURCE = os.path.join(DATA, "binance_BTCUSDT_1m_2024-01.csv")
TARGET = os.path.join(HERE, "btcusdt_1m_2024-01_first500.csv")


def load():
    raw = np.genfromtxt(SOURCE, delimiter=",", skip_header=1, max_rows=ROWS, dtype=np.float64)
    return raw[:, 0].astype(np.int64), raw[:, 2], raw[:, 3], raw[:, 4]


def nan_like(x):
    return np.full(len(x), np.nan)


def sma(x, n):
    out = nan_like(x)
    out[n - 1:] = sliding_window_view(x, n).mean(axis=1)
    return out


def ema(x, n, seed_end=None):
    """EMA with k = 2/(n+1) seeded by the mean of the n values ending at seed_end."""
    seed_end = n - 1 if seed_end is None else seed_end
    k = 2.0 / (n + 1)
    out = nan_like(x)
    out[seed_end] = x[seed_end - n + 1:seed_end + 1].mean()
    for t in range(seed_end + 1, len(x)):
        out[t] = out[t - 1] + k * (x[t] - out[t - 1])
    return out


def wilder(values, n, first):
    """Wilder average: mean of values[first-n+1..first], then (prev*(n-1)+v)/n."""
    out = nan_like(values)
    out[first] = values[first - n + 1:first + 1].mean()
    for t in range(first + 1, len(values)):
        out[t] = (out[t - 1] * (n - 1) + values[t]) / n
    return out


def rsi(close, n):
    change = np.diff(close, prepend=np.nan)
    gain = np.where(change > 0, change, 0.0)
    loss = np.where(change < 0, -change, 0.0)
    avg_gain = wilder(gain, n, n)
    avg_loss = wilder(loss, n, n)
    total = avg_gain + avg_loss
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total == 0, 0.0, 100.0 * avg_gain / total)


def atr(high, low, close, n):
    prev = np.concatenate(([np.nan], close[:-1]))
    tr = np.nanmax(np.vstack([high - low, np.abs(high - prev), np.abs(low - prev)]), axis=0)
    tr[0] = np.nan  # bar 0 has no previous close; TA-Lib does not use it
    return wilder(tr, n, n)


def macd(close, fast, slow, signal):
    slow_ema = ema(close, slow)
    fast_ema = ema(close, fast, seed_end=slow - 1)
    line = fast_ema - slow_ema
    sig = nan_like(close)
    sig[slow - 1:] = ema(line[slow - 1:], signal)
    line = np.where(np.isnan(sig), np.nan, line)
    return line, sig, line - sig


def bbands(close, n, k):
    middle = sma(close, n)
    std = nan_like(close)
    std[n - 1:] = sliding_window_view(close, n).std(axis=1, ddof=0)
    return middle + k * std, middle, middle - k * std


def rolling_max(x, n):
    out = nan_like(x)
    out[n - 1:] = sliding_window_view(x, n).max(axis=1)
    return out


def rolling_min(x, n):
    out = nan_like(x)
    out[n - 1:] = sliding_window_view(x, n).min(axis=1)
    return out


def stoch(high, low, close, fast_k, slow_k, slow_d):
    hh, ll = rolling_max(high, fast_k), rolling_min(low, fast_k)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_k = np.where(hh - ll == 0, 0.0, 100.0 * (close - ll) / (hh - ll))
    k = nan_like(close)
    start = fast_k - 1
    k[start + slow_k - 1:] = sliding_window_view(raw_k[start:], slow_k).mean(axis=1)
    d = nan_like(close)
    start_d = start + slow_k - 1
    d[start_d + slow_d - 1:] = sliding_window_view(k[start_d:], slow_d).mean(axis=1)
    return np.where(np.isnan(d), np.nan, k), d


def willr(high, low, close, n):
    hh, ll = rolling_max(high, n), rolling_min(low, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(hh - ll == 0, 0.0, -100.0 * (hh - close) / (hh - ll))


def cci(high, low, close, n):
    tp = (high + low + close) / 3.0
    out = nan_like(tp)
    windows = sliding_window_view(tp, n)
    mean = windows.mean(axis=1)
    mad = np.abs(windows - mean[:, None]).mean(axis=1)
    last = tp[n - 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[n - 1:] = np.where((mad == 0) | (last == mean), 0.0, (last - mean) / (0.015 * mad))
    return out


def main():
    if not os.path.exists(SOURCE):
        sys.exit(f"missing {SOURCE}")
    ts, high, low, close = load()
    columns = {"timestamp": ts}
    columns["sma_20"] = sma(close, 20)
    columns["ema_20"] = ema(close, 20)
    columns["rsi_14"] = rsi(close, 14)
    upper, middle, lower = bbands(close, 20, 2.0)
    columns.update(bbands_20_2_upper=upper, bbands_20_2_middle=middle, bbands_20_2_lower=lower)
    columns["atr_14"] = atr(high, low, close, 14)
    line, sig, hist = macd(close, 12, 26, 9)
    columns.update(macd_12_26_9_macd=line, macd_12_26_9_signal=sig, macd_12_26_9_hist=hist)
    k, d = stoch(high, low, close, 14, 3, 3)
    columns.update(stoch_14_3_3_k=k, stoch_14_3_3_d=d)
    columns["willr_14"] = willr(high, low, close, 14)
    columns["cci_20"] = cci(high, low, close, 20)

    names = list(columns)
    with open(TARGET, "w") as out:
        out.write(",".join(names) + "\n")
        for i in range(len(ts)):
            cells = [str(ts[i])]
            for name in names[1:]:
                v = columns[name][i]
                cells.append("" if np.isnan(v) else "%.17g" % v)
            out.write(",".join(cells) + "\n")
    print(f"wrote {len(ts)} rows x {len(names)} columns to {TARGET}")


if __name__ == "__main__":
    main()
