#!/usr/bin/env bash
# Outbound throughput: mailbridge-smtp with a reused connection vs one connection per message.
#   bash bench/outbound.sh [N]     (default 2000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-2000}
(cd "$ROOT" && mvn -q -B package -DskipTests)
(cd "$ROOT/bench" && mvn -q -B compile)
java -Xmx512m -cp "$ROOT/bench/target/classes:$ROOT/target/mailbridge.jar" io.mailbridge.bench.OutboundThroughputBench "$N" \
  2>&1 | grep -v -E '^\[|SLF4J' | tee "$ROOT/bench/results/last-outbound-run.txt"
