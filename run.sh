#!/usr/bin/env bash
# capslock: builds the fat jar when needed, then runs the server or the tests.
#   ./run.sh [server] [-Dkey=value ...] [launcher options]   build if needed, serve (conf/config.json by default)
#   ./run.sh client tcp|udp [OPTIONS]                         the lesson's clients (and a UDP pinger)
#   ./run.sh bench tcp|udp [OPTIONS] [--report FILE.html]     load generator: throughput and latency (and a page of charts)
#   ./run.sh test                                             run the whole test suite (mvn -B verify)
#   ./run.sh help                                             this help
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")" # the project's directory: the jar, conf/ and Maven's files are found from here

# A file the user named, as seen from where they ran run.sh (JSON given inline stays as it is)
from_caller() {
  case "$1" in
    /* | '{'*) printf '%s' "$1" ;;
    *) printf '%s/%s' "$CALLER_DIR" "$1" ;;
  esac
}

# ARGS: the arguments, with the files named by -conf, -options, -deployment-options and --report
# seen from where the user ran run.sh, not from the project's directory
with_callers_files() {
  ARGS=()
  local file_next=false
  for arg in "$@"; do
    if $file_next && [ "${arg#-}" = "$arg" ]; then # an option instead of a file: capslock says so
      ARGS+=("$(from_caller "$arg")")
      file_next=false
      continue
    fi
    file_next=false
    case "$(printf '%s' "${arg%%=*}" | tr '[:upper:]' '[:lower:]')" in # the launcher takes -Conf too
      -conf | --conf | --report | -options | --options | -vertx-options | --vertx-options | \
        -deployment-options | --deployment-options)
        if [ "${arg#*=}" != "$arg" ]; then
          ARGS+=("${arg%%=*}=$(from_caller "${arg#*=}")")
        else
          ARGS+=("$arg")
          file_next=true
        fi
        ;;
      *) ARGS+=("$arg") ;;
    esac
  done
}

usage() {
  cat <<'HELP'
capslock: an uppercase echo service over TCP (port 10825) and UDP (port 11758), on Vert.x 5.

Usage:
  ./run.sh                      build when needed, then serve with conf/config.json
  ./run.sh server [OPTIONS]     the same, with options:
      -conf FILE                another configuration file (JSON)
      -Dkey=value               override one key, e.g. -Dtcp.port=2000 (or CAPSLOCK_TCP_PORT=2000)
      -instances N              N event loops serving the ports (README: "Running the jar directly")
      -cluster [-cluster-host ADDRESS]
                                join a cluster (README: "A cluster"); -Drole=endpoints|workers
      -options JSON, ...        the Vert.x launcher's own options (./run.sh server -help lists them)
  ./run.sh client tcp [--host H] [--port P] [--timeout SECONDS] [--local-port L]
  ./run.sh client udp [the same] [--ping [--count N] [--interval MS]]
                                the lesson's clients: type a sentence, get the reply and the
                                round-trip time (./run.sh client tcp --help lists all options)
  ./run.sh bench tcp|udp [--host H] [--port P] [--connections N] [--depth D] [--size BYTES]
                        [--duration SECONDS] [--warmup SECONDS] [--json] [--report FILE.html]
                                load generator: checks every reply, reports messages/s, MB/s and
                                round-trip percentiles; --report also writes them as one HTML page
                                with charts (./run.sh bench --help explains each option)
  ./run.sh test                 run the whole test suite (mvn -B verify); its browser test
                                wants: apt-get install chromium chromium-driver
  ./run.sh help                 this help

Stop the server with Ctrl+C: it finishes the replies it owes, then exits 0.
Try it:  printf 'hello wörld' | nc -q1 127.0.0.1 10825
Watch it: http://localhost:8080/ (a live dashboard), curl -s localhost:8080/health, curl -s localhost:8080/metrics
HELP
}

version() {
  sed -n '/<artifactId>capslock<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;q;}' pom.xml
}

JAR="target/capslock-$(version)-fat.jar"
ARCHIVE="target/capslock-$(version).jsa"

build_if_needed() {
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main conf/logback.xml conf/logback-json.xml -newer "$JAR" -print -quit)" ]; then
    echo "Building $JAR (the first build downloads dependencies: a minute or two)..." >&2
    mvn -B -q package -DskipTests >&2
  fi
}

# The classes a start loads, recorded once per build in a class-data archive (AppCDS): a start
# then maps them instead of reading them from the fat jar, and takes about 40 % less time.
# Recorded by a start on free loopback ports that answers one TCP line and one datagram (so the
# classes a first reply loads are in it too) and stops.
archive_if_needed() {
  if [ -f "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$JAR" ]; then
    return
  fi
  rm -f "$ARCHIVE"
  echo "Recording the classes a start loads, to start faster (once per build, a few seconds)..." >&2
  local out
  out=$(mktemp)
  # shellcheck disable=SC2046  # jvm_options is a list of options
  java $(jvm_options) -XX:ArchiveClassesAtExit="$ARCHIVE" -Dtcp.host=127.0.0.1 -Dtcp.port=0 \
    -Dudp.host=127.0.0.1 -Dudp.port=0 -Dhttp.host=127.0.0.1 -Dhttp.port=0 -jar "$JAR" >"$out" 2>&1 &
  local pid=$!
  # Ctrl+C or SIGTERM meanwhile: the recording start stops too (it would serve on, orphaned), and
  # what it recorded is not kept, so that the next start records again
  # shellcheck disable=SC2064  # expanded now: this recording start's pid and files
  trap "kill -TERM $pid 2>/dev/null; wait $pid || true; rm -f '$out' '$ARCHIVE'; exit 0" INT TERM
  for _ in $(seq 300); do
    if grep -q " is running" "$out" || ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  first_replies "$(bound_port TCP "$out")" "$(bound_port UDP "$out")"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  trap - INT TERM
  rm -f "$out"
  if [ ! -f "$ARCHIVE" ]; then
    echo "No class-data archive could be recorded: the start loads its classes from the jar" >&2
  fi
}

# The port a start's log says it bound: bound_port TCP|UDP LOG
bound_port() {
  sed -n "s/.*$1 listening on 127.0.0.1:\([0-9]*\).*/\1/p" "$2" | head -n 1
}

# One line over TCP and one datagram, each reply waited for (its first byte, for the datagram),
# through bash alone.
first_replies() {
  local line='hello wörld, straße, Ελληνικά, 한국어'
  if [ -n "$1" ]; then
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf '%s\n' "$line" >&3 && read -r -t 5 _ <&3) 2>/dev/null || true
  fi
  if [ -n "$2" ]; then
    (exec 3<>"/dev/udp/127.0.0.1/$2" && printf '%s' "$line" >&3 && read -r -t 5 -n 1 _ <&3) 2>/dev/null || true
  fi
}

serve() {
  build_if_needed
  local jvm=() app=()
  with_callers_files "$@"
  for arg in ${ARGS[@]+"${ARGS[@]}"}; do # -Dkey=value overrides are system properties: before -jar; the rest is the launcher's
    case "$arg" in
      -D*) jvm+=("$arg") ;;
      *) app+=("$arg") ;;
    esac
  done
  local options
  if [ -n "${JAVA_OPTS:-}" ]; then
    options=$JAVA_OPTS
  else # with the archive, which another JVM or other options would refuse: then said nowhere
    archive_if_needed
    options="$(jvm_options) -XX:SharedArchiveFile=$ARCHIVE -Xlog:cds=off,cds+dynamic=off"
  fi
  # shellcheck disable=SC2086  # options is a list of options
  exec java $options "${jvm[@]}" -jar "$JAR" "${app[@]}"
}

# A JVM options file without its comments: conf/jvm.options (the bounded heap and the collector the
# server runs with) unless another is named
jvm_options() {
  grep -v -e '^#' -e '^$' "${1:-conf/jvm.options}" | tr '\n' ' '
}

case "${1:-server}" in
  server) shift || true; serve "$@" ;;
  # shellcheck disable=SC2046  # jvm_options is a list of options
  client) shift; build_if_needed; exec java ${JAVA_OPTS:-$(jvm_options conf/client-jvm.options)} -cp "$JAR" capslock.cli.ClientCommand "$@" ;;
  bench) shift; build_if_needed; with_callers_files "$@"; exec java ${JAVA_OPTS:-} -cp "$JAR" capslock.cli.BenchCommand ${ARGS[@]+"${ARGS[@]}"} ;;
  test)
    shift
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
      echo "No Chromium here: the browser test will be skipped (install it: apt-get install chromium chromium-driver)" >&2
    fi
    exec mvn -B verify "$@" ;;
  help|-h|-help|--help) usage ;;
  -*) serve "$@" ;;
  *) echo "run.sh: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
