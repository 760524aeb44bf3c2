#!/usr/bin/env bash
# usage: scripts/soak.sh [seconds, default 180]
#
# A few minutes of mixed load against the local server, then a summary: status counts, answers
# that should not happen (any 5xx but the failing command's 503), whether the counter equals the
# successful increments (ahead only by "outcome unknown" answers) and deliveries applied once,
# and the server's heap after a GC, sampled over time (flat means no leak).
# With DYNAMODB_ENDPOINT set: on that DynamoDB. SOAK_THREADS: client threads (default 4).
# SOAK_MIX=counting: only the counting hits (20 users' hooks), for the exactly-once check.
# Not part of the tests. The server log and samples are kept in target/soak/.
# Rebuilds target/bot-webhooks.jar first when the sources are newer (needs Maven then).
# Needs: a JDK 21+ with jcmd and jstat (found by scripts/lib/java.sh), Maven 3, curl, python3.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -le 1 ]] || usage_exit 2
seconds="${1:-180}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "seconds must be a positive number, got '$seconds'" >&2; usage_exit 2; }
source "$(dirname "$0")/lib/java.sh"
cd "$CLI_ROOT"
threads="${SOAK_THREADS:-4}"
ensure_bench
work=target/soak
rm -rf "$work" && mkdir -p "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
export ADMIN_KEY="soak-admin-$RANDOM$RANDOM$RANDOM"
export RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-100000}"
[[ -n "${DYNAMODB_ENDPOINT:-}" ]] && export TABLE_NAME="${TABLE_NAME:-soak-$RANDOM}"
log="$work/server.log"
java -Xmx256m -cp "$JAR" dev.botwebhooks.local.LocalServer --port "$port" --trust-forwarded-for \
  >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/hooks/x" && break
  sleep 0.2
done

heap() {  # used heap (KB) right after a full GC: what the server retains
  jcmd "$server" GC.run >/dev/null 2>&1 || true
  jstat -gc "$server" | awk 'NR==2 {printf "%d", $3+$4+$6+$8}'
}

echo "server pid $server on port $port; load for ${seconds}s from $threads threads" >&2
samples="$work/heap-samples"
(
  start=$(date +%s)
  while kill -0 "$server" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(heap)" >>"$samples"
    sleep 15
  done
) &
sampler=$!
java -cp "$BENCH_CP" dev.botwebhooks.bench.SoakClient "http://127.0.0.1:$port" "$ADMIN_KEY" \
  "$seconds" "$threads" "${SOAK_MIX:-mixed}" >"$samples.summary"
echo "$(( seconds + 1 )) $(heap)" >>"$samples"
kill "$sampler" 2>/dev/null || true

echo "== summary"
python3 -m json.tool "$samples.summary"
echo "== server heap after GC (seconds, KB used)"
sort -n -u "$samples" | awk '{printf "  %4ss  %7d KB\n", $1, $2}'
echo "== server log"
echo "  request log lines: $(grep -c '"request_id"' "$log" || true)"
echo "  5xx other than 503: $(grep -Ec '"status":5(0[0-24-9]|[1-9][0-9])' "$log" || true)"
echo "  lines with a stack trace: $(grep -Ec '^\s+at |Exception in thread' "$log" || true)"
if ! grep -q '"counter_matches":true' "$samples.summary" || \
   ! grep -q '"unexpected_answers":0' "$samples.summary"; then
  echo "SOAK FAILED" >&2
  exit 1
fi
