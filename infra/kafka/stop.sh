#!/usr/bin/env bash
# Stops the broker that start.sh started: SIGTERM (a clean shutdown), up to 15 s, then
# SIGKILL. Fine to call when nothing runs. The data dir and ports are kept, so
# `start.sh --reuse` brings the same broker back; `stop.sh --clean` deletes them instead.
#
# Environment: KAFKA_STOP_TIMEOUT (seconds before SIGKILL, default 15), KAFKA_RUN_DIR.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=${KAFKA_RUN_DIR:-$HERE/run}
PID_FILE="$RUN_DIR/kafka.pid"
TIMEOUT=${KAFKA_STOP_TIMEOUT:-15}

clean=false
case "${1:-}" in
  "") ;;
  --clean) clean=true ;;
  -h | --help) sed -n '2,6p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "stop.sh: unknown argument '$1' (use --clean or nothing)" >&2; exit 2 ;;
esac

say() { echo "kafka: $*" >&2; }

[[ -d "$RUN_DIR" ]] || { say "not running"; exit 0; }
exec 9>"$RUN_DIR/.lock"
flock -w 120 9 || { say "another start.sh/stop.sh holds $RUN_DIR/.lock"; exit 1; }

alive() { # pid -> true while the process exists and is not a zombie
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}
is_our_broker() { # pid -> true if it is a live kafka.Kafka JVM (not a recycled pid)
  alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka '
}

pid=$(cat "$PID_FILE" 2>/dev/null || true)
if is_our_broker "$pid"; then
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$pid"; then
    say "pid $pid still running after ${TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
  say "stopped pid $pid"
else
  say "not running"
fi
rm -f "$PID_FILE" "$RUN_DIR/brokers"

if $clean; then
  data_dir=$(cat "$RUN_DIR/data-dir" 2>/dev/null || true)
  case "$data_dir" in "$RUN_DIR"/data.* | /tmp/kafka-data.*) rm -rf -- "$data_dir" ;; esac
  rm -f "$RUN_DIR/data-dir" "$RUN_DIR/server.properties"
  say "removed the data dir; the next start is fresh"
fi
