#!/usr/bin/env python3
"""How much of the time current holders have already held should the gate's promise count as stay?

A model of GateMonitor.Estimate when places, not the rate, are the limit (src/Preau.Gate/README.md, "The promise"):
10 places, people queue in arrival order, a place frees when its holder's stay ends. Every 2 s, once 5 stays
have ended, the mean stay is (time of the stays ended + credit x time held so far) / stays ended, over a
5-minute window when it holds 5 stays (growth of the time held so far since the window's start), else since
the start. Each queued person's first wait shown, position / (places held / mean stay), is compared with the
wait they really had. Prints the share within +-25 % per stay law, arrival pattern and credit.
"""
import math
import random

PLACES, MIN_STAYS, WINDOW, STEP = 10, 5, 300, 2


def run(stay_of, people, spread, credit):
    arrivals = [i * spread / people for i in range(people)]
    queue, holders, history = [], {}, []
    ended_n = ended_ms = 0
    admitted, first_shown = {}, {}
    drawn = 0
    t = 0
    while t <= 20000 and len(admitted) < people:
        for key, (since, until) in list(holders.items()):
            if until <= t:
                ended_n += 1
                ended_ms += t - since
                del holders[key]
        for key, at in enumerate(arrivals):
            if at <= t and key not in admitted and key not in queue:
                queue.append(key)
        while queue and len(holders) < PLACES:
            key = queue.pop(0)
            holders[key] = (t, t + stay_of(drawn))
            drawn += 1
            admitted[key] = t
        held = sum(t - since for since, _ in holders.values())
        history.append((t, ended_n, ended_ms, held))
        while len(history) > 2 and t - history[0][0] > WINDOW:
            history.pop(0)
        _, n0, ms0, held0 = history[0]
        if len(history) >= 2 and ended_n - n0 >= MIN_STAYS:
            mean = (ended_ms - ms0 + credit * (held - held0)) / (ended_n - n0)
        elif ended_n >= MIN_STAYS:
            mean = (ended_ms + credit * held) / ended_n
        else:
            mean = None
        if mean:
            for position, key in enumerate(queue, start=1):
                first_shown.setdefault(key, (t, position * max(1.0, mean) / len(holders)))
        t += STEP
    errors = [shown / (admitted[key] - at) - 1 for key, (at, shown) in first_shown.items()
              if key in admitted and admitted[key] - at > STEP]
    return sum(1 for e in errors if abs(e) <= 0.25) / max(1, len(errors))


def uniform(low, high):
    return lambda i: low + (high - low) * ((i * 7) % 13) / 12


LAWS = {
    "uniform 2-5 min": uniform(120, 300),
    "uniform 1-3 min": uniform(60, 180),
    "log-normal, median 3 min": lambda i: random.Random(i).lognormvariate(math.log(181), 0.6),
    "uniform 2-5 min, one in ten after 5 s": lambda i: 5 if i % 10 == 3 else uniform(120, 300)(i),
    "exponential, mean 3.5 min": lambda i: random.Random(i).expovariate(1 / 210),
    # the closure bench's places run: one in five closes the page, and the place is held for the idle timeout
    "uniform 2-5 min, one in five + 20 min idle": lambda i: uniform(120, 300)(i) + (1200 if i % 5 == 2 else 0),
}
PATTERNS = [(60, 0), (60, 60), (135, 300), (150, 900)]

if __name__ == "__main__":
    credits = [0, 0.3, 0.5, 1]
    print("stays | " + " | ".join(f"credit {c}" for c in credits))
    for name, law in LAWS.items():
        cells = []
        for credit in credits:
            shares = [run(law, people, spread, credit) for people, spread in PATTERNS]
            cells.append(f"{min(shares):.0%}-{max(shares):.0%}")
        print(name + " | " + " | ".join(cells))
