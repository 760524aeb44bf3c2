#!/usr/bin/env bash
# Runs one API Gateway event through one handler, like `sam local invoke -e`, and prints the
# response event. It runs the built jar directly (no Maven at invoke time), so it also times a
# cold start: the init and invoke times go to standard error.
# usage: scripts/invoke.sh <WebhookFunction|BotApiFunction> <event.json>
# On the embedded store unless DYNAMODB_ENDPOINT is set.
set -euo pipefail
source "$(dirname "$0")/lib/java.sh"
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <WebhookFunction|BotApiFunction> <event.json>" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/target/bot-webhooks.jar"
if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR ..." >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi
exec java -cp "$JAR" dev.botwebhooks.local.Invoke "$1" "$2"
