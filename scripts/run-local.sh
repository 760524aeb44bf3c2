#!/usr/bin/env bash
# Serves both functions on 127.0.0.1 through a local stand-in for API Gateway.
# usage: scripts/run-local.sh [--port 3000] [--demo] [--trust-forwarded-for]
# Environment: ADMIN_KEY (else one is generated and printed), DYNAMODB_ENDPOINT (else the embedded
# store), TABLE_NAME, PUBLIC_BASE_URL, IP_ALLOWLIST and the limits listed in README.md.
set -euo pipefail
source "$(dirname "$0")/lib/java.sh"
cd "$(dirname "$0")/.."
JAR=target/bot-webhooks.jar
if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR ..." >&2
  mvn -q -B -DskipTests package >&2
fi
exec java -cp "$JAR" dev.botwebhooks.local.LocalServer "$@"
