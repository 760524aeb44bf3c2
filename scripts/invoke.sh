#!/usr/bin/env bash
# usage: scripts/invoke.sh <WebhookFunction|BotApiFunction|HttpCallFunction> <event.json>
#
# Runs one event through one handler, built as Lambda builds it, like `sam local invoke -e`, and
# prints the response event. The init and invoke times go to standard error (a cold start, in a
# JVM with the options the function has in Lambda: LAMBDA_JVM_OPTIONS in scripts/lib/java.sh),
# started from a cache of the jar's classes that its first run makes (target/jvm-cache; JVM_CACHE=off
# runs without it, as Lambda's runtime starts a function without SnapStart).
# On the embedded store, loaded first with the seed.json beside the event (events/seed.json holds
# what the sample events refer to), unless DYNAMODB_ENDPOINT is set.
# Rebuilds target/bot-webhooks.jar first when the sources are newer (needs Maven then).
# HttpCallFunction takes an SQS event of outbound calls (events/sqs-http-call.json) and makes
# them here; HTTP_EGRESS_ALLOW=127.0.0.1:<port> lets one reach a local server.
# Needs: a JDK 21+ (found by scripts/lib/java.sh), Maven 3 to build the jar.
set -euo pipefail
# The folder by parameter expansion, not dirname: every process this script starts is a cold
# start's time (README "Performance").
[[ "$0" == */* ]] && here="${0%/*}" || here=.
source "$here/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -eq 2 ]] || usage_exit 2
case "$1" in
  WebhookFunction | BotApiFunction | HttpCallFunction) ;;
  *) echo "unknown function '$1'" >&2; usage_exit 2 ;;
esac
[[ -f "$2" ]] || { echo "no such event file: $2" >&2; usage_exit 2; }
source "$here/lib/java.sh"
ensure_jar
# One cache per function and store: a start on the DynamoDB endpoint loads the SDK's classes too.
java_with_cache "$1${DYNAMODB_ENDPOINT:+-dynamodb}" "$JAR" "${LAMBDA_JVM_OPTIONS[@]}" dev.botwebhooks.local.Invoke "$1" "$2"
