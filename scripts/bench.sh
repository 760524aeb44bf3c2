#!/usr/bin/env bash
# usage: scripts/bench.sh [warm hits of each command, default 100000]
#
# The one benchmark (README "Performance"): cold start against an empty Java program (interleaved,
# on the embedded store and on a DynamoDB endpoint: a moto_server it starts on a free loopback
# port), classes loaded before the first answer, first invocation against warm p50, warm p50/p99
# and hits/s of the reference command and of a one-line command against Node's vm, DynamoDB
# requests and round trips per warm hit, latency with a fixed delay per DynamoDB request, local
# HTTP throughput over many hooks and users against a hello server, compilations and loaded-class
# growth over the warm hits, and the busiest partition key of a simulated day. Prints one table
# and writes target/bench/results.json. Takes a few minutes; not part of the tests.
# Needs: a JDK 21+ (found by scripts/lib/java.sh), Maven 3 to build, Node.js, python3 with
# moto[server] (moto_server on PATH, in ~/.local/bin or under ~/.pyenv).
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -le 1 ]] || usage_exit 2
hits="${1:-100000}"
[[ "$hits" =~ ^[1-9][0-9]*$ ]] || { echo "warm hits must be a positive number, got '$hits'" >&2; usage_exit 2; }
source "$(dirname "$0")/lib/java.sh"
cd "$CLI_ROOT"
ref="${BENCH_REFERENCE_DIR:-scripts/bench-reference}"
cmd="$ref/reference-command.js"
one="$ref/one-line-command.js"
body="$ref/reference-content.json"
[ -f "$cmd" ] || { echo "reference command not found at $cmd (set BENCH_REFERENCE_DIR)" >&2; exit 2; }
command -v node >/dev/null || { echo "bench.sh needs Node.js (node on PATH)" >&2; exit 2; }
moto="$(command -v moto_server || true)"
for candidate in "$HOME/.local/bin/moto_server" "$HOME"/.pyenv/versions/*/bin/moto_server; do
  [[ -z "$moto" && -x "$candidate" ]] && moto="$candidate"
done
[[ -n "$moto" ]] || { echo "bench.sh needs moto_server (pip install 'moto[server]')" >&2; exit 2; }
ensure_bench

out=target/bench
mkdir -p "$out"
rows="$out/rows.jsonl"
: > "$rows"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # $1: port; waits up to 60 s for something to listen there
  for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}
now_ns() { date +%s%N; }
say() { echo "bench: $*" >&2; }

moto_port="$(free_port)"
"$moto" -H 127.0.0.1 -p "$moto_port" > "$out/moto.log" 2>&1 &
pids+=($!)
wait_port "$moto_port"
endpoint="http://127.0.0.1:$moto_port"
ddb_env=(DYNAMODB_ENDPOINT="$endpoint" TABLE_NAME=bench-cold AWS_REGION=us-east-1)
env "${ddb_env[@]}" java -cp "$BENCH_CP" dev.botwebhooks.bench.SeedTable events/seed.json

# Cold start: scripts/invoke.sh from exec to exit, interleaved with an empty Java program with the
# JVM options the function has in Lambda. invoke.sh starts its JVM from the class cache its first
# run of this build makes (README "Performance"; one untimed run each makes them here); the same
# starts with JVM_CACHE=off are the JVM as Lambda's runtime starts it without SnapStart.
say "cold starts (10 of each, interleaved)"
invoke=(scripts/invoke.sh WebhookFunction events/hit-get.json)
cold() { # $1: label, $2: output prefix, rest: env; one timed cold start, its REPORT and its answer
  local label="$1" file="$out/$2" t e report status
  shift 2
  t=$(now_ns)
  if env "$@" "${invoke[@]}" > "$file.out" 2> "$file.err"; then
    e=$(now_ns)
    report="$(sed -n 's/.*init: \([0-9]*\) ms, invoke: \([0-9]*\) ms.*/"init_ms":\1,"invoke_ms":\2/p' "$file.err")"
    status="$(grep -o '"statusCode" *: *[0-9]*' "$file.out" | grep -o '[0-9]*$')"
    echo "{\"row\":\"cold\",\"what\":\"$label\",\"ms\":$(( (e - t) / 1000000 )),$report,\"status\":$status}" >> "$rows"
  else
    echo "{\"row\":\"cold\",\"what\":\"$label\",\"failed\":true}" >> "$rows"
    say "a cold start ($label) failed: $(tail -n 1 "$file.err")"
  fi
}
"${invoke[@]}" > /dev/null 2>&1 || say "the class cache's first run failed"
env "${ddb_env[@]}" "${invoke[@]}" > /dev/null 2>&1 || say "the class cache's first run failed"
for i in $(seq 10); do
  t=$(now_ns); java "${LAMBDA_JVM_OPTIONS[@]}" -cp target/test-classes dev.botwebhooks.bench.EmptyProgram; e=$(now_ns)
  echo "{\"row\":\"cold\",\"what\":\"empty\",\"ms\":$(( (e - t) / 1000000 ))}" >> "$rows"
  cold embedded invoke
  cold dynamodb invoke-ddb "${ddb_env[@]}"
  cold embedded-uncached invoke-off JVM_CACHE=off
  cold dynamodb-uncached invoke-ddb-off JVM_CACHE=off "${ddb_env[@]}"
done

say "classes loaded before the first answer"
java "${LAMBDA_JVM_OPTIONS[@]}" -Xlog:class+load=info:file="$out/classes.log" -cp "$JAR" dev.botwebhooks.local.Invoke \
  WebhookFunction events/hit-get.json > /dev/null 2>&1
echo "{\"row\":\"classes\",\"loaded\":$(grep -c 'source:' "$out/classes.log")}" >> "$rows"

say "first invocation after init and warm invocations of the same event"
for i in $(seq 9); do # a first invocation is one figure per process: the median of 9 processes
  for init in on-demand snap-start; do # snap-start: init is snapshotted and primes more (README)
    AWS_LAMBDA_INITIALIZATION_TYPE=$init RATE_LIMIT_PER_MINUTE=100000000 java "${LAMBDA_JVM_OPTIONS[@]}" \
      -cp "$BENCH_CP" dev.botwebhooks.bench.FirstInvocation WebhookFunction events/hit-get.json 2000 \
      | sed "s/^{/{\"row\":\"first\",\"init\":\"$init\",/" >> "$rows"
  done
done

say "warm hits: Java (embedded store) and Node vm, reference and one-line commands"
java -cp "$BENCH_CP" dev.botwebhooks.bench.HitBenchmark "$cmd" "$body" "$hits" \
  | sed 's/^{/{"row":"warm","command":"reference",/' >> "$rows"
node scripts/bench-node.js "$cmd" "$body" "$hits" | sed 's/^{/{"row":"warm","command":"reference",/' >> "$rows"
java -cp "$BENCH_CP" dev.botwebhooks.bench.HitBenchmark "$one" "$body" "$hits" \
  | sed 's/^{/{"row":"warm","command":"one-line",/' >> "$rows"
node scripts/bench-node.js "$one" "$body" "$hits" | sed 's/^{/{"row":"warm","command":"one-line",/' >> "$rows"

say "DynamoDB: requests and round trips per warm hit, latency with 0, 500 and 1000 ms added per request"
for c in one-line reference; do
  f="$one"; [[ "$c" == reference ]] && f="$cmd"
  # 11 hits each. The round trips are the p50's growth from 500 to 1000 ms per request: whatever
  # the hit pays once per wait besides the delay (waking up after it) is in both and mostly cancels.
  for delay in 0 500 1000; do
    java -cp "$BENCH_CP" dev.botwebhooks.bench.HitBenchmark "$f" "$body" 11 "$endpoint" "$delay" \
      | sed "s/^{/{\"row\":\"dynamodb\",\"command\":\"$c\",\"delay_ms\":$delay,/" >> "$rows"
  done
done

say "local HTTP throughput: the reference command over 100 users' hooks, and a hello server"
server_port="$(free_port)"
ADMIN_KEY=bench-admin-key RATE_LIMIT_PER_MINUTE=1000000000 \
  java -cp "$JAR" dev.botwebhooks.local.LocalServer --port "$server_port" > "$out/server.log" 2>&1 &
pids+=($!)
hello_port="$(free_port)"
node scripts/bench-hello.js "$hello_port" &
pids+=($!)
wait_port "$server_port"
wait_port "$hello_port"
# Throughput is measured warm: the same load first runs unmeasured against each server, 40 s
# against the local server, about what its JIT compiler takes to compile the hit path under this
# load on 2 cores, and 20 s against the hello server (README "Performance").
java -cp "$BENCH_CP" dev.botwebhooks.bench.HttpLoad "http://127.0.0.1:$server_port" 16 40 "$body" \
  bench-admin-key "$cmd" 100 > /dev/null
java -cp "$BENCH_CP" dev.botwebhooks.bench.HttpLoad "http://127.0.0.1:$hello_port/" 16 20 "$body" > /dev/null
for users in 1 100; do
  java -cp "$BENCH_CP" dev.botwebhooks.bench.HttpLoad "http://127.0.0.1:$server_port" 16 10 "$body" \
    bench-admin-key "$cmd" "$users" | sed "s/^{/{\"row\":\"http\",\"what\":\"service, $users users\",/" >> "$rows"
done
java -cp "$BENCH_CP" dev.botwebhooks.bench.HttpLoad "http://127.0.0.1:$hello_port/" 16 10 "$body" \
  | sed 's/^{/{"row":"http","what":"hello",/' >> "$rows"

say "busiest partition key over a simulated day"
java -cp "$BENCH_CP" dev.botwebhooks.bench.KeySpread | sed 's/^{/{"row":"keys",/' >> "$rows"

python3 scripts/bench-table.py "$rows" "$out/results.json"
