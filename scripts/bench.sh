#!/usr/bin/env bash
# usage: scripts/bench.sh [warm hits, default 2000]
#
# Benchmarks a webhook hit of the reference command (scripts/bench-reference, or
# BENCH_REFERENCE_DIR) in the Java hit path and in Node's vm, and prints both as a table.
# Not part of the tests. Rebuilds target/bot-webhooks.jar first when the sources are newer.
# Needs: a JDK 21+ (found by scripts/lib/java.sh), Maven 3 to build the jar, Node.js, python3.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -le 1 ]] || usage_exit 2
hits="${1:-2000}"
[[ "$hits" =~ ^[1-9][0-9]*$ ]] || { echo "warm hits must be a positive number, got '$hits'" >&2; usage_exit 2; }
source "$(dirname "$0")/lib/java.sh"
cd "$CLI_ROOT"
ref="${BENCH_REFERENCE_DIR:-scripts/bench-reference}"
cmd="$ref/reference-command.js"
body="$ref/reference-content.json"
[ -f "$cmd" ] || { echo "reference command not found at $cmd (set BENCH_REFERENCE_DIR)" >&2; exit 2; }
ensure_bench

run_java() {  # $1: label, rest: JVM flags
  local label="$1"; shift
  # The result is the last line of standard output (each hit logs its line to standard error).
  java "$@" -cp "$BENCH_CP" dev.botwebhooks.bench.HitBenchmark "$cmd" "$body" "$hits" \
    2> target/bench-java.log | tail -n 1 | python3 -c "import json,sys; d=json.load(sys.stdin); d['runtime']+=' ($label)'; print(json.dumps(d))"
}

{
  # Lambda's own JVM flags for Java functions stop at C1 for a faster start.
  run_java "C1 only, as Lambda" -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto
  run_java "default JIT"
  node scripts/bench-node.js "$cmd" "$body" "$hits"
} | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print("| runtime | process start to first answer (ms) | first hit (ms) | warm p50 (µs) | warm p99 (µs) | warm hits/s |")
print("|---|---|---|---|---|---|")
for r in rows:
    start = r.get("jvm_start_to_first_answer_ms", r.get("process_start_to_first_answer_ms"))
    print("| %s | %s | %.1f | %.0f | %.0f | %.0f |" % (r["runtime"], start, r["first_hit_ms"],
          r["warm_p50_us"], r["warm_p99_us"], r["warm_hits_per_second"]))
answers = {r["answer"] for r in rows}
print()
print("same answer from every runtime:", len(answers) == 1)
'
