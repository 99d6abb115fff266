#!/usr/bin/env bash
# Fetches the Kafka broker jars listed in pom.xml from Maven Central into infra/kafka/lib.
# Idempotent and quiet: does nothing when lib/ already matches pom.xml; prints Maven's
# output only if Maven fails. Usage: infra/kafka/fetch-jars.sh [--force]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB="$HERE/lib"
MARKER="$LIB/.complete"

# lib/ is complete when the marker written after the last successful copy names this pom
# (first line: its sha256) and every jar it lists (the other lines) is still there.
pom_sum=$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)
complete() {
  [[ -f "$MARKER" && "$(head -n1 "$MARKER")" == "$pom_sum" && $(wc -l <"$MARKER") -gt 1 ]] || return 1
  local jar
  while IFS= read -r jar; do
    [[ -f "$LIB/$jar" ]] || return 1
  done < <(tail -n +2 "$MARKER")
}
if [[ "${1:-}" != "--force" ]] && complete; then
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch-jars.sh: mvn not found (needs Maven 3.6+ and Java 17)" >&2; exit 1; }

# Copy into a fresh staging directory, then swap it in with two renames: jars of an older
# pom (another Kafka version) never share the classpath, and a broker already running from
# lib/ (which opens its jars lazily) never finds lib/ empty or half-copied.
stage=$(mktemp -d "$HERE/.lib.staging.XXXXXX")
mvn_log=$(mktemp)
trap 'rm -rf "$mvn_log" "$stage"' EXIT
if ! mvn -B -q -f "$HERE/pom.xml" -Dkafka.lib.dir="$stage" dependency:copy-dependencies >"$mvn_log" 2>&1; then
  cat "$mvn_log" >&2
  echo "fetch-jars.sh: mvn dependency:copy-dependencies failed" >&2
  exit 1
fi
if ! compgen -G "$stage/kafka_2.13-*.jar" >/dev/null; then
  echo "fetch-jars.sh: Maven succeeded but $stage has no kafka_2.13 jar" >&2
  exit 1
fi
{ echo "$pom_sum"; (cd "$stage" && ls -1 -- *.jar); } >"$stage/.complete"
chmod 755 "$stage"
old="$HERE/.lib.old.$$"
[[ -d "$LIB" ]] && mv -- "$LIB" "$old"
mv -- "$stage" "$LIB"
rm -rf -- "$old"
