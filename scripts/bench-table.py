#!/usr/bin/env python3
"""The table of scripts/bench.sh: reads its rows (one JSON object a line), prints one Markdown
table with every figure, its baseline and target, and writes them all to results.json."""
import json
import statistics
import sys

rows_file, results_file = sys.argv[1], sys.argv[2]
rows = [json.loads(line) for line in open(rows_file) if line.strip()]


def pick(row, **match):
    return [r for r in rows if r["row"] == row and all(r.get(k) == v for k, v in match.items())]


def one(row, **match):
    found = pick(row, **match)
    if len(found) != 1:
        raise SystemExit("bench: expected one %s row for %s, got %d" % (row, match, len(found)))
    return found[0]


def median(row, what, field="ms"):
    return statistics.median(r[field] for r in pick(row, what=what) if not r.get("failed"))


table = []


def add(measure, value, baseline, ratio, target):
    table.append({"measure": measure, "value": value, "baseline": baseline, "ratio": ratio,
                  "target": target})


empty = median("cold", "empty")
for store, label in (("embedded", "embedded store"), ("dynamodb", "DynamoDB endpoint (moto)"),
                     ("embedded-uncached", "embedded store, without the class cache"),
                     ("dynamodb-uncached", "DynamoDB endpoint (moto), without the class cache")):
    ms = median("cold", store)
    init = median("cold", store, "init_ms")
    invoke = median("cold", store, "invoke_ms")
    ok = [r for r in pick("cold", what=store) if not r.get("failed")]
    failed = len(pick("cold", what=store)) - len(ok)
    add("cold start, scripts/invoke.sh exec to exit, %s (median of %d%s; init %d ms, first invocation %d ms;"
        " answered %s)" % (label, len(ok), ", %d failed" % failed if failed else "", init, invoke,
                           "/".join(sorted({str(r["status"]) for r in ok}))),
        "%d ms" % ms, "empty Java program %d ms" % empty, "%.1f×" % (ms / empty),
        "≤ 10× (stretch ≤ 6×)" if store == "dynamodb" else "")
add("classes loaded before the first answer", "%d" % one("classes")["loaded"], "", "", "")
for init, label in (("on-demand", "init on the request's path"),
                    ("snap-start", "init snapshotted, as with SnapStart: 300 priming hits")):
    runs = pick("first", init=init)
    if not runs:
        raise SystemExit("bench: no first-invocation rows for %s" % init)
    def mid(field):
        return statistics.median(r[field] for r in runs)
    add("first invocation after init ÷ warm p50 (same event, embedded store; %s; median of %d"
        " processes)" % (label, len(runs)),
        "%.2f ms / %.3f ms (init %d ms)" % (mid("first_invocation_ms"), mid("warm_p50_ms"),
                                            mid("init_ms")), "",
        "%.1f× (%.1f× to %.1f×)" % (mid("first_over_warm_p50"),
                                    min(r["first_over_warm_p50"] for r in runs),
                                    max(r["first_over_warm_p50"] for r in runs)), "≤ 3×")
java_warm = {}
for command in ("reference", "one-line"):
    j = [r for r in pick("warm", command=command) if r["runtime"].startswith("java")][0]
    n = [r for r in pick("warm", command=command) if r["runtime"].startswith("node")][0]
    java_warm[command] = j
    add("warm hit, %s command: p50 / p99 µs, hits/s (%d hits)" % (command, j["warm_hits"]),
        "%.0f / %.0f µs, %.0f/s" % (j["warm_p50_us"], j["warm_p99_us"], j["warm_hits_per_second"]),
        "%s vm: %.0f / %.0f µs, %.0f/s" % (n["runtime"], n["warm_p50_us"], n["warm_p99_us"],
                                          n["warm_hits_per_second"]),
        "%.1f×" % (j["warm_p50_us"] / n["warm_p50_us"]),
        "≤ 3× (stretch ≤ 1.5×)" if command == "reference" else "")
    if j["answer"] != n["answer"]:
        raise SystemExit("bench: Java and Node answer differently for the %s command" % command)
for command, writes, targets in (("one-line", "writes nothing", ("≤ 2", "≤ 2")),
                                 ("reference", "property read+write, message", ("≤ 4", "≤ 3"))):
    base = one("dynamodb", command=command, delay_ms=0)
    near = one("dynamodb", command=command, delay_ms=500)
    far = one("dynamodb", command=command, delay_ms=1000)
    add("DynamoDB requests per warm hit, %s command (%s)" % (command, writes),
        "%.2f" % far["dynamodb_requests_per_hit"], "", "", targets[0])
    # Each sequential round trip adds the delay once: the p50's growth from the near delay to the
    # far one, divided by their difference, counts them, and what a hit pays once per wait besides
    # the delay (its own work waking up after it) is in both p50s and mostly cancels. Taken from each
    # hit's latency less the time the endpoint took to answer its requests and the proxy
    # overslept: an endpoint that sat idle through the delay answers slower, which is not a round
    # trip (README "Performance").
    step = far["delay_ms"] - near["delay_ms"]
    added = (far["warm_p50_less_endpoint_us"] - near["warm_p50_less_endpoint_us"]) / 1000
    add("sequential DynamoDB round trips per warm hit, %s: p50 growth from %d to %d ms added to"
        " each request ÷ %d ms, less the endpoint's own answer time (as measured; waves of"
        " overlapping requests seen by the proxy)" % (command, near["delay_ms"], far["delay_ms"],
                                                      step),
        # A count: the nearest whole number, then the measured growth and the waves it rounds.
        "%d (%.2f; waves %.2f)" % (round(added / step), added / step, far["round_trips_per_hit"]),
        "p50 %.1f ms without delay, %.1f ms with %d ms, %.1f ms with %d ms; less the endpoint's"
        " time %.1f, %.1f and %.1f ms"
        % (base["warm_p50_us"] / 1000, near["warm_p50_us"] / 1000, near["delay_ms"],
           far["warm_p50_us"] / 1000, far["delay_ms"], base["warm_p50_less_endpoint_us"] / 1000,
           near["warm_p50_less_endpoint_us"] / 1000, far["warm_p50_less_endpoint_us"] / 1000),
        "", targets[1])
hello = one("http", what="hello")
for users in (1, 100):
    h = one("http", what="service, %d users" % users)
    add("local HTTP hits/s, reference command, 16 connections, %d user%s of one bot%s"
        % (users, "s" if users > 1 else "", "" if h["failed"] == 0 else ", %d failed" % h["failed"]),
        "%.0f/s" % h["answers_per_second"], "hello server %.0f/s" % hello["answers_per_second"],
        "%.3f×" % (h["answers_per_second"] / hello["answers_per_second"]),
        "≥ 0.1× (stretch 0.3×)" if users == 100 else "")
ref = java_warm["reference"]
add("compilations / loaded classes added over %d warm hits" % ref["warm_hits"],
    "%d / %d" % (ref["compilations_during_warm_hits"], ref["classes_loaded_during_warm_hits"]),
    "", "", "0 / 0 (one compilation per command version)")
keys = one("keys")
add("busiest partition key, simulated day (%d bots, one with %d users at %.0f hits/s)"
    % (keys["bots"], keys["big_bot_users"], keys["big_bot_hits_per_second"]),
    "%.1f writes/s" % keys["busiest_key_writes_per_second"], keys["busiest_key"], "",
    "≤ 100 writes/s")

print("| measure | value | baseline | ratio | target |")
print("|---|---|---|---|---|")
for r in table:
    print("| %s | %s | %s | %s | %s |" % (r["measure"], r["value"], r["baseline"], r["ratio"],
                                         r["target"]))
with open(results_file, "w") as f:
    json.dump({"table": table, "rows": rows}, f, indent=2)
print()
print("all figures: %s" % results_file)
