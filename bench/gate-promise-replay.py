#!/usr/bin/env python3
"""Issue 11: replays the closure mornings' promises against ways of foreseeing the admission rate.

Usage: bench/gate-promise-replay.py <report dir> [<report dir>...]

Each report dir is one `bench/gate-closure.sh` run made with SAMPLE=1: its eta.csv (each person's first promise,
when it was made and the real wait) and rate.txt (the gate's admission rate, sampled from /metrics each second).
For each promise, the people really let in during that person's wait are the admission rate summed over the wait;
each way of foreseeing the rate is asked how long it takes to let them in, from what it knew when the promise was
made. Counted as held when within ±25 % of the real wait (or 1 s), as the Surge counts promises. This isolates how
the rate is foreseen from the rest of the promise (lanes, positions, the pickup second).

  now        the rate of the moment, flat
  avg30      the rate averaged over the last 30 s, flat
  ceiling    climbing 2 users/s every 5 s up to the ceiling (50 users/s)
  minute     climbing so up to the highest rate of the last minute if it was cut in it, else the ceiling
  held       climbing so up to the highest rate held 8 s or more in the last minute if it was cut in it, else the
             ceiling (what the gate did in BENCHMARKS.md sections 33-34)
  hedge      within a minute of a cut, between held and climbing to the ceiling (harmonic mean)
  bracket    within a minute of a cut, between held and climbing to the lowest rate cut from in that minute, or
             to 1.4 times the rate held if higher (1.2 times while the rate is still below it; harmonic mean), the
             rates the slow start doubled to counted as neither held nor cut from (what the gate does since
             section 35)
"""
import bisect
import csv
import datetime
import json
import sys

GROWTH = 0.4  # users/s each second: RateIncreaseStep 2 per ControlInterval 5 s
CEILING = 50.0  # MaxAdmissionsPerSecond
HELD = 8.0  # seconds a rate must be seen in force to count as held
BEYOND_HELD = 1.4  # GateMonitor.BeyondHeld
BEYOND_HELD_FROM_BELOW = 1.2  # GateMonitor.BeyondHeldFromBelow


def load(report):
    started = json.load(open(f"{report}/summary.json"))["startedAt"]
    t0 = datetime.datetime.fromisoformat(started).timestamp()
    samples = []
    for line in open(f"{report}/rate.txt"):
        fields = line.split()
        if len(fields) >= 2 and fields[1] != "":
            samples.append((float(fields[0]) - t0, float(fields[1])))
    return samples, list(csv.DictReader(open(f"{report}/eta.csv")))


def admitted(samples, start, end):
    """Users let in between start and end, each sampled rate held until the next sample."""
    total = 0.0
    for i, (t, rate) in enumerate(samples):
        until = samples[i + 1][0] if i + 1 < len(samples) else float("inf")
        lo, hi = max(t, start), min(until, end)
        if hi > lo:
            total += rate * (hi - lo)
    return total


def climb(people, rate, cap):
    cap = max(cap, rate)
    to_cap = (cap - rate) / GROWTH
    by_cap = rate * to_cap + GROWTH * to_cap * to_cap / 2
    if people <= by_cap:
        return ((rate * rate + 2 * GROWTH * people) ** 0.5 - rate) / GROWTH
    return to_cap + (people - by_cap) / cap


def runs(window, now):
    """(rate, seconds seen in force, first sample's time) for each run of one rate in the window."""
    out, start = [], 0
    for i in range(1, len(window) + 1):
        if i < len(window) and window[i][1] == window[start][1]:
            continue
        until = window[i][0] if i < len(window) else now
        out.append((window[start][1], until - window[start][0], window[start][0]))
        start = i
    return out


def forecasts(samples, at, people):
    times = [s[0] for s in samples]
    rate = samples[max(0, bisect.bisect_right(times, at) - 1)][1]
    minute = [s for s in samples if at - 60 <= s[0] <= at]
    cut = any(b[1] < a[1] for a, b in zip(minute, minute[1:]))
    highest = max((s[1] for s in minute), default=rate)
    held = max((r for r, seconds, _ in runs(minute, at) if seconds >= HELD), default=0.0)
    # the slow start's doublings (rises before the morning's first cut) are neither held nor cut from
    first_cut = next((b[0] for a, b in zip(samples, samples[1:]) if b[1] < a[1]), float("inf"))
    doubled = {start for start, (a, b) in ((b[0], (a, b)) for a, b in zip(samples, samples[1:])) if b[1] > a[1] and b[0] < first_cut}
    in_minute = runs(minute, at)
    own_held = max((r for r, seconds, start in in_minute if seconds >= HELD and start not in doubled), default=0.0)
    own_cut_from = min((a[0] for a, b in zip(in_minute, in_minute[1:]) if b[0] < a[0] and a[2] not in doubled), default=float("inf"))
    average = admitted(samples, at - 30, at) / 30 if at > 30 else rate
    slow = climb(people, rate, held if cut else CEILING)
    return {
        "now": people / rate,
        "avg30": people / max(average, 1e-6),
        "ceiling": climb(people, rate, CEILING),
        "minute": climb(people, rate, highest if cut else CEILING),
        "held": slow,
        "hedge": hedge(slow, climb(people, rate, CEILING)),
        "bracket": bracket(people, rate, own_held, own_cut_from) if cut else climb(people, rate, CEILING),
    }


def bracket(people, rate, held, cut_from):
    if rate < held - 1e-9:
        top = BEYOND_HELD_FROM_BELOW * held
    else:
        top = BEYOND_HELD * held if cut_from == float("inf") else max(BEYOND_HELD * held, cut_from)
    return hedge(climb(people, rate, held), climb(people, rate, top))


def hedge(slow, fast):
    return 2 * slow * fast / (slow + fast) if slow + fast > 0 else 0


def main():
    totals = {}
    for report in sys.argv[1:]:
        samples, rows = load(report)
        held = {}
        for row in rows:
            at, real = float(row["promised_at_s"]), float(row["actual_s"])
            people = admitted(samples, at, at + real)
            for name, wait in forecasts(samples, at, people).items():
                held.setdefault(name, []).append(abs(wait - real) <= max(0.25 * real, 1.0))
        shares = {name: 100.0 * sum(v) / len(v) for name, v in held.items()}
        for name, share in shares.items():
            totals.setdefault(name, []).append(share)
        print(f"{report}: {len(rows)} promises; held " + ", ".join(f"{n} {s:.1f} %" for n, s in shares.items()))
    if len(sys.argv) > 2:
        print("mean of the runs: " + ", ".join(f"{n} {sum(v) / len(v):.1f} %" for n, v in totals.items()))


if __name__ == "__main__":
    main()
