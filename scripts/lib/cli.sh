# Sourced by the scripts: their command-line conventions and the jar they run.
#   usage_exit <code>   prints the calling script's header comment (its usage) and exits with
#                       <code>: 0 on --help (to standard output), 2 on bad arguments (to standard error)
#   jar_is_stale <jar>  true when <jar> is missing or older than pom.xml or a file under src/main,
#                       src/rhino-patch, src/jackson-patch or src/build
#   ensure_jar          rebuilds target/bot-webhooks.jar with Maven when it is stale, saying so
#   ensure_bench        ensure_jar, and the benchmark and soak clients (src/bench, built with the
#                       tests, never in the jar) on $BENCH_CP

CLI_ROOT="$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)"
JAR="$CLI_ROOT/target/bot-webhooks.jar"
BENCH_CP="$JAR:$CLI_ROOT/target/test-classes"

usage_exit() {
  local text
  # The header: the comment lines after the shebang, up to the first line that is not a comment.
  text="$(awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0")"
  if [[ "$1" == 0 ]]; then
    printf '%s\n' "$text"
  else
    printf '%s\n' "$text" >&2
  fi
  exit "$1"
}

# True (0) when a --help or -h is among the arguments.
wants_help() {
  local a
  for a in "$@"; do
    [[ "$a" == --help || "$a" == -h ]] && return 0
  done
  return 1
}

jar_is_stale() {
  local jar="$1"
  [[ -f "$jar" ]] || return 0
  [[ "$CLI_ROOT/pom.xml" -nt "$jar" ]] && return 0
  [[ -n "$(find "$CLI_ROOT/src/main" "$CLI_ROOT/src/rhino-patch" "$CLI_ROOT/src/jackson-patch" "$CLI_ROOT/src/build" -newer "$jar" -print -quit \
    2>/dev/null)" ]]
}

ensure_jar() {
  if jar_is_stale "$JAR"; then
    if [[ -f "$JAR" ]]; then
      echo "Sources changed since $JAR was built: rebuilding it (mvn package, about a minute) ..." >&2
    else
      echo "Building $JAR (mvn package, about a minute) ..." >&2
    fi
    (cd "$CLI_ROOT" && mvn -q -B -DskipTests package) >&2
    echo "Built $JAR." >&2
  fi
}

ensure_bench() {
  local client="$CLI_ROOT/target/test-classes/dev/botwebhooks/bench/HitBenchmark.class"
  if [[ -f "$client" && -z "$(find "$CLI_ROOT/src/bench" -newer "$client" -print -quit)" ]]; then
    ensure_jar
    return
  fi
  echo "Building $JAR and the benchmark clients (mvn package, about a minute) ..." >&2
  (cd "$CLI_ROOT" && mvn -q -B -DskipTests package) >&2
}
