# Sourced by the scripts and by .ci/run: points JAVA_HOME (and PATH) at a JDK 21 or newer.
# The build targets Java 21, the Lambda runtime. Order: $JAVA_HOME when it is 21+, then `java` on
# PATH when it is 21+, then the newest JDK under /usr/lib/jvm or /opt.

java_feature() { # prints the feature release of the java at $1 (e.g. 21), or nothing
  # The JDK's release file says it without starting a JVM (tens of milliseconds of every script's
  # start), read with the shell's own builtins (every process started here is a cold start's
  # time: README "Performance"); a java without one is asked.
  local real="$1" release line
  [[ -L "$1" ]] && real="$(readlink -f "$1")"
  release="${real%/*/*}/release"
  if [[ -f "$release" ]]; then
    while IFS= read -r line || [[ -n "$line" ]]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        echo "${BASH_REMATCH[1]}"
        return
      fi
    done < "$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1
}

# java_ok <java>: whether it is 21 or newer; if so, JDK_FEATURE is its feature release.
java_ok() {
  local v
  v=$(java_feature "$1")
  [[ -n "$v" && "$v" -ge 21 ]] && JDK_FEATURE="$v"
}

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
  JDK_FEATURE="$best_v"
}

find_jdk21 || exit 1
export JAVA_HOME

# A JVM names files in the locale's encoding: under a locale that is not UTF-8 (none set, C,
# POSIX) it cannot open a bot's file whose name has emoji or non-Latin letters. Read from the
# shell's variables, without starting a process.
locale_now="${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
if [[ ! "$locale_now" =~ [Uu][Tt][Ff]-?8 ]]; then
  export LC_ALL=C.UTF-8
fi
unset locale_now
export PATH="$JAVA_HOME/bin:$PATH"

# The JVM options of a function in Lambda (template.yaml's JAVA_TOOL_OPTIONS, also the java21
# runtime's own default): the C1 compiler only, which starts a short-lived JVM in much less CPU
# time than the default tiered compilation (README "Performance"). invoke.sh and the cold starts
# of bench.sh run with them, so a local cold start is the one Lambda runs.
LAMBDA_JVM_OPTIONS=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1)

# A short-lived JVM of the jar (invoke.sh) starts from a cache of its classes, loaded and linked,
# made by its first run on this jar and this JDK (README "Performance"): JDK 25 and newer keep an
# AOT cache (-XX:AOTCacheOutput, then -XX:AOTCache), JDK 21 to 24 a dynamic class-data archive
# (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile). A cache belongs to one jar (its size and
# time) and one JDK build, and is named after them, so a stale one is never offered to the JVM;
# older ones of the same name are removed when a new one is made. JVM_CACHE=off runs without one.
JVM_CACHE_DIR="${JVM_CACHE_DIR:-${CLI_ROOT:-$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)}/target/jvm-cache}"

# java_with_cache <name> <jar> [java arguments...]: runs java with the jar on the class path, with
# the cache named <name> for that jar (making it on the first run); returns java's exit status.
java_with_cache() {
  local name="$1" jar="$2"
  shift 2
  if [[ "${JVM_CACHE:-on}" == off ]]; then
    java -cp "$jar" "$@"
    return
  fi
  local feature jdk_id="$JAVA_HOME" line jar_id file tmp status
  feature="$JDK_FEATURE"
  # The JDK: its folder, vendor and build, from its release file, read with builtins.
  if [[ -f "$JAVA_HOME/release" ]]; then
    while IFS= read -r line || [[ -n "$line" ]]; do
      [[ "$line" =~ ^(IMPLEMENTOR|JAVA_RUNTIME_VERSION)= ]] && jdk_id+=" ${line#*=}"
    done < "$JAVA_HOME/release"
  fi
  jdk_id="${jdk_id//[^A-Za-z0-9.+-]/_}"
  jar_id=$(stat -c '%s-%Y' "$jar")
  file="$JVM_CACHE_DIR/$name--$jdk_id--$jar_id.cache"
  # The JVM's notes on its cache go to standard error, never into a function's response.
  local quiet=(-XX:+DisplayVMOutputToStderr -Xlog:cds*=off -Xlog:cds*=error:stderr)
  [[ "$feature" -ge 25 ]] && quiet+=(-Xlog:aot*=off -Xlog:aot*=error:stderr)
  if [[ -f "$file" ]]; then
    if [[ "$feature" -ge 25 ]]; then
      java "${quiet[@]}" -XX:AOTCache="$file" -cp "$jar" "$@"
    else
      java "${quiet[@]}" -XX:SharedArchiveFile="$file" -cp "$jar" "$@"
    fi
    return
  fi
  if ! mkdir -p "$JVM_CACHE_DIR" 2>/dev/null || [[ ! -w "$JVM_CACHE_DIR" ]]; then
    java -cp "$jar" "$@" # nowhere to keep a cache: run as without one
    return
  fi
  tmp="$file.$$.tmp"
  echo "Making the JVM's class cache for $name (first run of this build, a few seconds more;" \
    "later runs start faster) ..." >&2
  status=0
  if [[ "$feature" -ge 25 ]]; then
    java "${quiet[@]}" -XX:AOTCacheOutput="$tmp" -cp "$jar" "$@" || status=$?
  else
    java "${quiet[@]}" -XX:ArchiveClassesAtExit="$tmp" -cp "$jar" "$@" || status=$?
  fi
  if [[ "$status" == 0 && -s "$tmp" ]]; then
    rm -f "$JVM_CACHE_DIR/$name"--*--*.cache
    mv -f "$tmp" "$file"
  fi
  rm -f "$tmp" "$tmp.config"
  return "$status"
}
