#!/usr/bin/env bash
# usage: scripts/run-local.sh [--port 3000] [--demo] [--trust-forwarded-for]
#
# Serves both functions on 127.0.0.1 through a local stand-in for API Gateway, until Ctrl-C.
#   --port N                TCP port on 127.0.0.1 (default 3000)
#   --demo                  seed the example bot and print a ready webhook URL
#   --trust-forwarded-for   client IP = the rightmost X-Forwarded-For address, as behind a proxy
# Environment: ADMIN_KEY (else one is generated and printed), DYNAMODB_ENDPOINT (else the embedded
# store), TABLE_NAME, PUBLIC_BASE_URL, IP_ALLOWLIST and the limits listed in README.md.
# Rebuilds target/bot-webhooks.jar first when the sources are newer (needs Maven then).
# The JVM gets the deployed function's heap (1 GiB), so the sandbox's memory limits act as in AWS.
# Needs: a JDK 21+ (found by scripts/lib/java.sh), Maven 3 to build the jar.
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --demo | --trust-forwarded-for) ;;
    --port) ((i + 1 < ${#args[@]})) && [[ "${args[i + 1]}" =~ ^[0-9]+$ ]] \
              || { echo "--port needs a number" >&2; usage_exit 2; }
            i=$((i + 1)) ;;
    --port=*) [[ "${args[i]#--port=}" =~ ^[0-9]+$ ]] \
              || { echo "--port needs a number" >&2; usage_exit 2; } ;;
    *) echo "unknown option ${args[i]}" >&2; usage_exit 2 ;;
  esac
done
source "$(dirname "$0")/lib/java.sh"
ensure_jar
exec java -Xmx1g -cp "$JAR" dev.botwebhooks.local.LocalServer "$@"
