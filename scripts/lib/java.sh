# Sourced by the scripts and by .ci/run: points JAVA_HOME (and PATH) at a JDK 21 or newer.
# The build targets Java 21, the Lambda runtime. Order: $JAVA_HOME when it is 21+, then `java` on
# PATH when it is 21+, then the newest JDK under /usr/lib/jvm or /opt.

java_feature() { # prints the feature release of the java at $1 (e.g. 21), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1
}

java_ok() { local v; v=$(java_feature "$1"); [[ -n "$v" && "$v" -ge 21 ]]; }

find_jdk21() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && java_ok "$JAVA_HOME/bin/java"; then
    return 0
  fi
  local on_path
  on_path=$(command -v java 2>/dev/null || true)
  if [[ -n "$on_path" ]] && java_ok "$on_path"; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$on_path")")")
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || continue
    v=$(java_feature "$d/bin/java")
    if [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$best_v" ]]; then best="$d"; best_v="$v"; fi
  done
  if [[ -z "$best" ]]; then
    echo "error: no JDK 21 or newer found (set JAVA_HOME to one)" >&2
    return 1
  fi
  JAVA_HOME="$best"
}

find_jdk21 || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# The JVM options of a function in Lambda (template.yaml's JAVA_TOOL_OPTIONS, also the java21
# runtime's own default): the C1 compiler only, which starts a short-lived JVM in much less CPU
# time than the default tiered compilation (README "Performance"). invoke.sh and the cold starts
# of bench.sh run with them, so a local cold start is the one Lambda runs.
LAMBDA_JVM_OPTIONS=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1)
