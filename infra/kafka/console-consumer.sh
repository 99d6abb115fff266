#!/usr/bin/env bash
# Kafka's own console consumer (org.apache.kafka.tools.consumer.ConsoleConsumer, from the
# kafka-tools jar in lib/), pointed at the broker that start.sh started.
#
#   infra/kafka/console-consumer.sh --topic support.case-events.v1 --from-beginning \
#     --property print.key=true --property print.headers=true
#
# Every argument goes to the console consumer (see --help); --bootstrap-server defaults to
# run/brokers (KAFKA_BROKERS overrides it). Ctrl-C stops it. Environment: KAFKA_RUN_DIR.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=${KAFKA_RUN_DIR:-$HERE/run}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

bash "$HERE/fetch-jars.sh"
brokers=${KAFKA_BROKERS:-$(cat "$RUN_DIR/brokers" 2>/dev/null || true)}
[[ -n "$brokers" ]] || { echo "console-consumer.sh: no broker: run infra/kafka/start.sh or set KAFKA_BROKERS" >&2; exit 1; }

# keep the star quoted: java expands it itself
exec "$JAVA" -Xmx256m -Dlog4j.configuration="file:$HERE/log4j.properties" -cp "$HERE/lib/*" \
  org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$brokers" "$@"
