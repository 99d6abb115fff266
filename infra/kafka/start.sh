#!/usr/bin/env bash
# Starts one Kafka broker (KRaft, broker + controller in one JVM) on 127.0.0.1 in the
# background, from the jars in infra/kafka/lib (fetched from Maven Central if needed).
#
#   infra/kafka/start.sh            fresh, empty broker: new data dir, ports 9092/9093 or free ones
#   infra/kafka/start.sh --reuse    the same broker as last time (same data dir, ports and
#                                   cluster id, topics and offsets kept); fresh if there is none
#
# Progress goes to stderr; the last line on stdout is `KAFKA_BROKERS=127.0.0.1:<port>`, also
# written (address only) to run/brokers. The pid is in run/kafka.pid; stop with stop.sh.
#
# Environment: KAFKA_PORT / KAFKA_CONTROLLER_PORT (a port asked for must be free; by default
# 9092/9093 are tried, then free ports), KAFKA_START_TIMEOUT (seconds, default 90),
# KAFKA_HEAP_OPTS (default -Xms256m -Xmx512m), KAFKA_RUN_DIR (default infra/kafka/run),
# KAFKA_LOG4J (a log4j.properties to use instead of infra/kafka/log4j.properties).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=${KAFKA_RUN_DIR:-$HERE/run}
LIB="$HERE/lib"
PID_FILE="$RUN_DIR/kafka.pid"
PROPS="$RUN_DIR/server.properties"
DATA_DIR_FILE="$RUN_DIR/data-dir"
LOG="$RUN_DIR/broker.log"
TIMEOUT=${KAFKA_START_TIMEOUT:-90}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

reuse=false
case "${1:-}" in
  "") ;;
  --reuse) reuse=true ;;
  -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "start.sh: unknown argument '$1' (use --reuse or nothing)" >&2; exit 2 ;;
esac

say() { echo "kafka: $*" >&2; }
die() { echo "kafka: $*" >&2; exit 1; }

mkdir -p "$RUN_DIR"
# One start/stop at a time per run dir.
exec 9>"$RUN_DIR/.lock"
flock -w 120 9 || die "another start.sh/stop.sh holds $RUN_DIR/.lock"

alive() { # pid -> true while the process exists and is not a zombie
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}
is_our_broker() { # pid -> true if it is a live kafka.Kafka JVM (not a recycled pid)
  alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka '
}
if [[ -f "$PID_FILE" ]]; then
  old_pid=$(cat "$PID_FILE")
  if is_our_broker "$old_pid"; then
    die "a broker is already running (pid $old_pid, $(cat "$RUN_DIR/brokers" 2>/dev/null || echo '?')); run infra/kafka/stop.sh first"
  fi
  rm -f "$PID_FILE"
fi

bash "$HERE/fetch-jars.sh" # bash: works even where the exec bit was lost
command -v "$JAVA" >/dev/null || die "java not found (needs Java 17+)"
CP="$LIB/*" # keep quoted: java expands the star itself

# --- ports --------------------------------------------------------------------------------
port_free() { # port -> true if nothing listens on it (TIME_WAIT leftovers do not count:
  # the JVM binds with SO_REUSEADDR, which is what lets --reuse take the same ports again)
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null &&
    ! ss -Htln "( sport = :$1 )" 2>/dev/null | grep -q .
}
pick_port() { # preferred port, port to avoid -> a free port (the preferred one if free)
  local port=$1 tries=0
  while ! port_free "$port" || [[ "$port" == "$2" ]]; do
    ((++tries > 100)) && die "no free port found"
    port=$((20000 + RANDOM % 12000)) # below the kernel's ephemeral range (32768+)
  done
  echo "$port"
}
prop() { sed -n "s/^$1=//p" "$PROPS"; }

if $reuse && [[ -f "$PROPS" && -f "$DATA_DIR_FILE" && -f "$(cat "$DATA_DIR_FILE")/meta.properties" ]]; then
  data_dir=$(cat "$DATA_DIR_FILE")
  port=$(prop advertised.listeners | sed 's/.*://')
  controller_port=$(prop controller.quorum.voters | sed 's/.*://')
  for p in "$port" "$controller_port"; do
    port_free "$p" || die "--reuse: port $p of the previous broker is taken now; start without --reuse for a fresh broker"
  done
  say "reusing $data_dir (ports $port/$controller_port)"
else
  $reuse && say "--reuse: no previous broker in $RUN_DIR, starting a fresh one"
  # A fresh start replaces the data dir of the previous fresh start (only one we created).
  if [[ -f "$DATA_DIR_FILE" ]]; then
    old=$(cat "$DATA_DIR_FILE")
    case "$old" in "$RUN_DIR"/data.* | /tmp/kafka-data.*) rm -rf -- "$old" ;; esac
    rm -f "$DATA_DIR_FILE"
  fi
  if [[ -n "${KAFKA_PORT:-}" ]]; then
    port_free "$KAFKA_PORT" || die "KAFKA_PORT=$KAFKA_PORT is taken"
    port=$KAFKA_PORT
  else
    port=$(pick_port 9092 "")
  fi
  if [[ -n "${KAFKA_CONTROLLER_PORT:-}" ]]; then
    port_free "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT is taken"
    controller_port=$KAFKA_CONTROLLER_PORT
  else
    controller_port=$(pick_port 9093 "$port")
  fi
  [[ "$port" != "$controller_port" ]] || die "broker and controller port are both $port"

  data_dir=$(mktemp -d "$RUN_DIR/data.XXXXXX" 2>/dev/null || mktemp -d /tmp/kafka-data.XXXXXX)
  echo "$data_dir" >"$DATA_DIR_FILE"
  sed -e "s#@BROKER_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" -e "s#@LOG_DIR@#$data_dir#g" \
    "$HERE/server.properties.template" >"$PROPS"

  # A KRaft log dir must be formatted once with a cluster id before the first start.
  tool() { "$JAVA" -Dlog4j.configuration="file:${KAFKA_LOG4J:-$HERE/log4j.properties}" -cp "$CP" kafka.tools.StorageTool "$@"; }
  cluster_id=$(tool random-uuid)
  tool format -t "$cluster_id" -c "$PROPS" >"$RUN_DIR/format.log" 2>&1 ||
    { cat "$RUN_DIR/format.log" >&2; die "formatting $data_dir failed"; }
  say "fresh broker in $data_dir (cluster $cluster_id, ports $port/$controller_port)"
fi

# --- start and wait -----------------------------------------------------------------------
started=$(date +%s%N)
# The previous run's log (e.g. before an outage test's restart) stays as broker.log.previous.
[[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.previous"
# nohup + </dev/null + own log: the broker outlives this script and never holds its stdout
# (so `$(start.sh)` and `start.sh | tail -n1` return as soon as the broker is up); 9>&-
# keeps the lock file's descriptor out of the JVM, or the lock would live as long as it.
# shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of flags
nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -Djava.awt.headless=true -Dlog4j.configuration="file:${KAFKA_LOG4J:-$HERE/log4j.properties}" \
  -cp "$CP" kafka.Kafka "$PROPS" </dev/null >"$LOG" 2>&1 9>&- &
pid=$!
disown "$pid" # not a job of this script: no "Killed" notice if the timeout below kills it
echo "$pid" >"$PID_FILE"

fail() {
  echo "kafka: $1; last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}
# Ready means the "Kafka Server started" line: the broker port already accepts TCP
# connections while the broker is still starting, so an open port alone proves little.
deadline=$((SECONDS + TIMEOUT))
until grep -q "Kafka Server started" "$LOG" 2>/dev/null; do
  if ! alive "$pid"; then
    rm -f "$PID_FILE"
    fail "the broker exited during startup"
  fi
  if ((SECONDS >= deadline)); then
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    fail "the broker did not start within ${TIMEOUT}s (killed it)"
  fi
  sleep 0.1
done

address="127.0.0.1:$port"
echo "$address" >"$RUN_DIR/brokers"
say "started pid $pid in $((($(date +%s%N) - started) / 1000000))ms; log: $LOG; stop: $HERE/stop.sh"
echo "KAFKA_BROKERS=$address"
