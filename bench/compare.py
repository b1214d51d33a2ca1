#!/usr/bin/env python3
"""Times `jauge status` and `jauge report` against what finance staff would otherwise run
(a pandas script, a polars script), on the same generated ledger, in one run; prints medians,
ratios and peak memory, and checks every total against Python's exact `decimal` sum.

    python3 bench/compare.py [--rows 1000000] [--runs 7]

Needs pandas and polars (`pip install pandas polars`); GNU time (/usr/bin/time) for memory.
The ledger is made by `cargo xtask gen-ledger` and kept in bench/data/.
"""
import argparse
import csv
import decimal
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
START, DEADLINE = "2023-11-13T23:00:00Z", "2023-12-31T23:00:00Z"  # 14 Nov to 31 Dec, Paris

# The same question for every tool: what counts toward the goal (confirmed gifts, refunds
# subtracted, pending and failed left out, the campaign's window), and per day in Paris.
PANDAS = r"""
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], dtype={"donor": str, "subscription_id": str, "matched_by": str})
at = pd.to_datetime(df["received_at"], utc=True)
df = df[(at >= pd.Timestamp("%s")) & (at < pd.Timestamp("%s"))]
counted = df["status"].isin(["confirmed", "refunded"])
value = (df["amount"] - df["refunded"].fillna(0)).clip(lower=0).where(counted, 0)
days = value.groupby(pd.to_datetime(df["received_at"], utc=True).dt.tz_convert("Europe/Paris").dt.date).sum()
print(repr(float(value.sum())), len(days))
""" % (START, DEADLINE)

POLARS = r"""
import sys, polars as pl
df = pl.read_csv(sys.argv[1], schema_overrides={"donor": pl.Utf8, "subscription_id": pl.Utf8, "matched_by": pl.Utf8})
at = pl.col("received_at").str.to_datetime(time_zone="UTC")
df = df.filter((at >= pl.lit("%s").str.to_datetime(time_zone="UTC")) & (at < pl.lit("%s").str.to_datetime(time_zone="UTC")))
value = (pl.when(pl.col("status").is_in(["confirmed", "refunded"]))
           .then((pl.col("amount") - pl.col("refunded").fill_null(0)).clip(lower_bound=0))
           .otherwise(0.0))
out = df.with_columns(value.alias("value"), at.dt.convert_time_zone("Europe/Paris").dt.date().alias("day"))
days = out.group_by("day").agg(pl.col("value").sum())
print(repr(float(out['value'].sum())), days.height)
""" % (START, DEADLINE)


def exact_total(path):
    """The reference: Python's decimal, which never rounds."""
    total = decimal.Decimal(0)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if not (START <= row["received_at"] < DEADLINE):
                continue
            if row["status"] in ("confirmed", "refunded"):
                value = decimal.Decimal(row["amount"]) - decimal.Decimal(row["refunded"] or "0")
                total += max(value, decimal.Decimal(0))
    return total


def timed(command, runs):
    """Median, min, max wall seconds and the largest peak RSS (MiB) over `runs` runs."""
    times, peaks, out = [], [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - started)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
        out = done.stdout
    return statistics.median(times), min(times), max(times), max(peaks), out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    ledger = DATA / f"ledger-{args.rows}.csv"
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "jauge-cli", "-p", "xtask"], cwd=ROOT, check=True)
    if not ledger.exists():
        subprocess.run([str(ROOT / "target/release/xtask"), "gen-ledger", "--rows", str(args.rows),
                        "--campaign", str(ROOT / "examples/framasoft-2023/campaign.toml"), "--out", str(ledger)],
                       cwd=ROOT, check=True)
    campaign = DATA / f"campaign-{args.rows}.toml"
    campaign.write_text(
        'name = "Benchmark"\ngoal = "200000 EUR"\ntime_zone = "Europe/Paris"\n'
        f'start = "2023-11-14"\ndeadline = "2023-12-31"\nledgers = ["{ledger.name}"]\n')
    jauge = str(ROOT / "target/release/jauge")
    at = ["--at", "2024-01-02T00:00:00Z", "--campaign", str(campaign)]
    tools = [
        ("jauge status", [jauge, "status", "--format", "json"] + at),
        ("jauge report", [jauge, "report", "--format", "csv"] + at),
        ("pandas", [sys.executable, "-c", PANDAS, str(ledger)]),
        ("polars", [sys.executable, "-c", POLARS, str(ledger)]),
    ]
    size = ledger.stat().st_size / 2**20
    print(f"{args.rows:,} rows ({size:.0f} MiB), {os.cpu_count()} cores, median of {args.runs} runs\n")
    started = time.perf_counter()
    reference = exact_total(ledger)
    decimal_seconds = time.perf_counter() - started
    results = {}
    for name, command in tools:
        results[name] = timed(command, args.runs)
    base = results["jauge status"][0]
    print(f"{'tool':<15}{'median s':>10}{'min s':>8}{'max s':>8}{'peak MiB':>10}{'× jauge status':>16}")
    for name, (median, low, high, peak, _) in results.items():
        print(f"{name:<15}{median:>10.3f}{low:>8.3f}{high:>8.3f}{peak:>10.1f}{median / base:>16.2f}")
    print(f"{'python decimal':<15}{decimal_seconds:>10.3f}{'':>8}{'':>8}{'':>10}{decimal_seconds / base:>16.2f}   (one run: the exact reference)")

    import json
    status = json.loads(results["jauge status"][4])
    jauge_total = decimal.Decimal(status["breakdown"]["one_off"]["amount"]) + decimal.Decimal(
        status["breakdown"]["recurring_counted"]["amount"])
    print(f"\nexact total (Python decimal): {reference} EUR")
    print(f"jauge status:                 {jauge_total} EUR  {'equal to the cent' if jauge_total == reference else 'DIFFERENT'}")
    for name in ("pandas", "polars"):
        printed = results[name][4].split()[0]
        gap = decimal.Decimal(printed) - reference
        verdict = "equal to the cent" if abs(gap) < decimal.Decimal("0.005") else "WRONG to the cent"
        print(f"{name + ':':<30}{printed} EUR  (a float: off by {gap:+.2E} EUR, {verdict} once rounded)")
    if jauge_total != reference:
        sys.exit("jauge's total differs from the exact sum")


if __name__ == "__main__":
    main()
