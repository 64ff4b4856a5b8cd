#!/usr/bin/env python3
"""Reference values for PetrelAnalytics, computed independently with NumPy.

Writes, beside this script:
  equity_250.csv  - 251 daily equity points (250 returns) from a seeded generator
  expected.json   - the statistics of that curve, re-implementing the definitions of
                    empyrical 0.5.5 (annual_return, annual_volatility, sharpe_ratio,
                    downside_risk, sortino_ratio, max_drawdown, calmar_ratio,
                    value_at_risk, conditional_value_at_risk) line by line in NumPy, so
                    that empyrical itself need not be installed.

Run:  python3 Tests/PetrelAnalyticsTests/.reference/make_reference.py
The outputs are committed; the Swift tests read them by a path relative to #filePath.
The folder's name starts with a dot because SwiftPM skips dot-folders: any other folder
inside a target makes it warn about unhandled files, and the target cannot exclude them
without a change to Package.swift.
Re-running must reproduce them byte for byte (fixed seed, repr() of floats).
"""

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240613
COUNT = 250
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DAY_MS = 86_400_000
PERIODS_PER_YEAR = 365.0  # Timeframe.d1.periodsPerYear: crypto trades every day
START_EQUITY = 10_000.0


def make_curve():
    rng = np.random.default_rng(SEED)
    # Daily returns with a small drift, plus a crash and a rally so that the tails matter.
    returns = rng.normal(0.0008, 0.022, COUNT)
    returns[60] = -0.12
    returns[61] = -0.07
    returns[150] = 0.09
    equity = [START_EQUITY]
    for r in returns:
        equity.append(equity[-1] * (1.0 + float(r)))
    timestamps = [START_MS + i * DAY_MS for i in range(COUNT + 1)]
    return timestamps, equity


def write_csv(timestamps, equity):
    with open(os.path.join(HERE, "equity_250.csv"), "w") as f:
        f.write("timestamp,equity\n")
        for t, e in zip(timestamps, equity):
            f.write(f"{t},{e!r}\n")


def read_csv():
    ts, eq = [], []
    with open(os.path.join(HERE, "equity_250.csv")) as f:
        next(f)
        for line in f:
            t, e = line.strip().split(",")
            ts.append(int(t))
            eq.append(float(e))
    return np.array(ts, dtype=np.int64), np.array(eq, dtype=np.float64)


# --- empyrical 0.5.5 definitions, re-implemented --------------------------------------

def annual_return(r, ann):  # empyrical.annual_return
    ending_value = np.prod(1.0 + r)
    num_years = len(r) / ann
    return ending_value ** (1.0 / num_years) - 1.0


def annual_volatility(r, ann, ddof=1):  # empyrical.annual_volatility (ddof=1)
    return np.std(r, ddof=ddof) * np.sqrt(ann)


def sharpe_ratio(r, ann, rf_per_period=0.0):  # empyrical.sharpe_ratio
    adj = r - rf_per_period
    return np.mean(adj) / np.std(adj, ddof=1) * np.sqrt(ann)


def downside_risk(r, ann, required=0.0):  # empyrical.downside_risk
    diff = np.clip(r - required, None, 0.0)
    return np.sqrt(np.mean(np.square(diff))) * np.sqrt(ann)


def sortino_ratio(r, ann, required=0.0):  # empyrical.sortino_ratio
    average_annual_return = np.mean(r - required) * ann
    return average_annual_return / downside_risk(r, ann, required)


def max_drawdown(r):  # empyrical.max_drawdown (negative number)
    cumulative = np.empty(len(r) + 1)
    cumulative[0] = start = 100.0
    cumulative[1:] = start * np.cumprod(1.0 + r)
    max_return = np.fmax.accumulate(cumulative)
    return np.min((cumulative - max_return) / max_return)


def calmar_ratio(r, ann):  # empyrical.calmar_ratio
    return annual_return(r, ann) / abs(max_drawdown(r))


def value_at_risk(r, cutoff):  # empyrical.value_at_risk (a return, negative in the tail)
    return np.percentile(r, 100.0 * cutoff)


def conditional_value_at_risk(r, cutoff):  # empyrical.conditional_value_at_risk
    cutoff_index = int((len(r) - 1) * cutoff)
    return np.mean(np.partition(r, cutoff_index)[: cutoff_index + 1])


# --- drawdown episodes, computed a second way (vectorised, not a state machine) -------

def episodes(equity):
    running_max = np.maximum.accumulate(equity)
    under = equity < running_max
    result = []
    i, n = 0, len(equity)
    while i < n:
        if not under[i]:
            i += 1
            continue
        start = i
        while i < n and under[i]:
            i += 1
        peak = start - 1  # last point at the running high
        segment = equity[start:i]
        trough = start + int(np.argmin(segment))
        recovered = i < n
        end = i if recovered else n - 1
        result.append({
            "peakIndex": peak,
            "troughIndex": trough,
            "recoveryIndex": i if recovered else None,
            "endIndex": end,
            "durationBars": end - peak,
            "depth": float((equity[peak] - equity[trough]) / equity[peak]),
        })
    return result


def main():
    timestamps, equity = make_curve()
    write_csv(timestamps, equity)
    ts, eq = read_csv()  # compute from exactly what the Swift tests read
    r = eq[1:] / eq[:-1] - 1.0
    ann = PERIODS_PER_YEAR
    rf_annual = 0.03
    rf = (1.0 + rf_annual) ** (1.0 / ann) - 1.0  # quantstats' de-annualisation

    eps = episodes(eq)
    deepest = max(eps, key=lambda e: (e["depth"], -e["peakIndex"]))
    longest = max(eps, key=lambda e: (e["durationBars"], -e["peakIndex"]))
    for e in (deepest, longest):
        e["peakTime"] = int(ts[e["peakIndex"]])
        e["troughTime"] = int(ts[e["troughIndex"]])
        e["endTime"] = int(ts[e["endIndex"]])

    days = (ts[-1] - ts[0]) / DAY_MS
    expected = {
        "count": int(len(r)),
        "firstReturns": [float(x) for x in r[:5]],
        "totalReturn": float(eq[-1] / eq[0] - 1.0),
        "compoundedReturn": float(np.prod(1.0 + r) - 1.0),
        "cagr": float(annual_return(r, ann)),
        # quantstats' calendar CAGR with 365-day years equals the periods-based one here.
        "cagrCalendar365": float((eq[-1] / eq[0]) ** (365.0 / days) - 1.0),
        "annualVolatility": float(annual_volatility(r, ann)),
        "annualVolatilityPopulation": float(annual_volatility(r, ann, ddof=0)),
        "sharpe": float(sharpe_ratio(r, ann)),
        "sharpeRiskFree3pc": float(sharpe_ratio(r, ann, rf)),
        "downsideRisk": float(downside_risk(r, ann)),
        "sortino": float(sortino_ratio(r, ann)),
        "sortinoRiskFree3pc": float(sortino_ratio(r, ann, rf)),
        "maxDrawdown": float(-max_drawdown(r)),
        "calmar": float(calmar_ratio(r, ann)),
        "valueAtRisk95": float(-value_at_risk(r, 0.05)),
        "valueAtRisk99": float(-value_at_risk(r, 0.01)),
        "conditionalValueAtRisk95": float(-conditional_value_at_risk(r, 0.05)),
        "conditionalValueAtRisk99": float(-conditional_value_at_risk(r, 0.01)),
        "bestReturn": float(np.max(r)),
        "worstReturn": float(np.min(r)),
        "drawdownEpisodeCount": len(eps),
        "deepest": deepest,
        "longest": longest,
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
