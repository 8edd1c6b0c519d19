#!/usr/bin/env bash
# Two builds of mailbridge, same backfill, alternating runs against one Dovecot: the working tree (or
# MAILBRIDGE_REF) against REF. One bench/run.sh run varies by +-7% on this 2-core VM from run to run,
# more than most code changes move it; alternating REPEAT runs of each and comparing means does not.
#
#   bash bench/compare.sh REF [N]      # e.g. bash bench/compare.sh 2183ec5 10000
#
# Environment: REPEAT (5) runs of each; MAILBRIDGE_REF (default: the working tree); SINK_OPTS
# (extra -D options for both, e.g. "-Dmail.sink.max-in-flight=200"); STALL_S (60, bench/lib.sh: a run
# without progress for this long is stopped and shown as stalled). Prints each run, then per
# build the mean msg/s ('after start', as bench/run.sh) over its complete runs and CPU seconds, and the ratio.
# Output also goes to bench/results/last-compare.txt.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH/.." && pwd -P)
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
REF=${1:?usage: bench/compare.sh REF [N]}
N=${2:-10000}
REPEAT=${REPEAT:-5}
mkdir -p "$BENCH/results"
exec > >(tee "$BENCH/results/last-compare.txt") 2>&1

WORK=$(mktemp -d /tmp/mailbridge-compare.XXXXXX)
chmod 755 "$WORK"
SINKS=$(mktemp -d /dev/shm/mailbridge-compare.XXXXXX)
TOOL=(python3 "$BENCH/benchtool.py")
cleanup() {
  local rc=$?
  "$ROOT/scripts/dovecot.sh" stop "$WORK/dv" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$SINKS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build() {  # REF|"" DIR -> builds target/mailbridge.jar of that commit (or the working tree) in DIR
  local ref=$1 dir=$2
  if [[ -z $ref ]]; then
    (cd "$ROOT" && mvn -q -B package -DskipTests)
    ln -s "$ROOT" "$dir"
  else
    mkdir -p "$dir"
    git -C "$ROOT" archive "$ref" | tar -x -C "$dir"
    (cd "$dir" && mvn -q -B package -DskipTests)
  fi
}

A_LABEL=${MAILBRIDGE_REF:-working-tree}
B_LABEL=$REF
echo "=== compare: A = $A_LABEL$([[ -z ${MAILBRIDGE_REF:-} ]] && echo " (HEAD $(git -C "$ROOT" rev-parse --short HEAD))"), B = $B_LABEL ($(git -C "$ROOT" rev-parse --short "$REF")), N=$N, $REPEAT runs each ==="
build "${MAILBRIDGE_REF:-}" "$WORK/a"
build "$REF" "$WORK/b"

"${TOOL[@]}" gen --maildir "$WORK/dv/mail/alice" --n "$N" --profile mixed --manifest "$WORK/manifest.json"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ROOT/scripts/dovecot.sh" start "$WORK/dv" "$PORT" >/dev/null
"${TOOL[@]}" warm --port "$PORT" --n "$N"

run_one() {  # LABEL HOME I
  local label=$1 home=$2 i=$3 out="$SINKS/out" ck="$WORK/ck"
  rm -rf "$out" "$ck"; mkdir -p "$out"
  find "$WORK/dv/mail" -type f -print0 | xargs -0 cat > /dev/null
  "${TOOL[@]}" measure --name "$label-$i" --n "$N" --count-dir "$out/inbox" --marker 'started in' \
    --log "$WORK/$label-$i.log" --out "$WORK/$label-$i.json" --cwd "$home" --timeout 600 -- \
    java -Xmx256m -Dmail.embedded.enabled=false -Dmail.embedded.demo-request=false \
    -Dmail.imap.host=127.0.0.1 -Dmail.imap.port="$PORT" -Dmail.imap.username=alice -Dmail.imap.password=secret \
    "-Dmail.sink.uri=file:$out/inbox?tempPrefix=.writing-" -Dmail.checkpoint.dir="$ck" \
    -Dmail.dead-letter.uri="file:$out/dead" "-Dmail.outbox.uri=file:$out/outbox?delete=true" \
    -Dmail.outbox.failed-uri="file:$out/failed" -Dmail.sink.log-level=OFF -Dcamel.management.enabled=false \
    -Dmail.imap.poll-delay=1s ${SINK_OPTS:-} -jar "$home/target/mailbridge.jar" > /dev/null
  sync
}

for i in $(seq "$REPEAT"); do
  run_one a "$WORK/a" "$i"
  run_one b "$WORK/b" "$i"
done

PYTHONPATH="$BENCH" PYTHONDONTWRITEBYTECODE=1 python3 - "$WORK" "$N" "$REPEAT" "$A_LABEL" "$B_LABEL" <<'EOF'
import json, statistics, sys
from benchtool import describe   # a stalled or OOM run is named, not averaged
work, n, repeat, la, lb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
runs = {k: [json.load(open(f"{work}/{k}-{i}.json")) for i in range(1, repeat + 1)] for k in ("a", "b")}
def ok(r): return r["status"] == "ok" and r["work_s"]
def rate(r): return n / r["work_s"]
def cpu(r): return r["cpu_user_s"] + r["cpu_sys_s"]
def cell(r, k): return f"{rate(r):>10.0f}{cpu(r):>9.1f}" if ok(r) else f"  {k}: {describe(r)};"
print(f"{'run':<6}{'A msg/s':>10}{'A CPU s':>9}{'B msg/s':>10}{'B CPU s':>9}")
for i in range(repeat):
    print(f"{i + 1:<6}{cell(runs['a'][i], 'A')}{cell(runs['b'][i], 'B')}")
def stats(k, label):
    good = [r for r in runs[k] if ok(r)]
    if not good:
        print(f"{k.upper()} {label}: no complete run")
        return None, None
    m, c = statistics.mean(map(rate, good)), statistics.mean(map(cpu, good))
    sd = statistics.stdev(map(rate, good)) if len(good) > 1 else 0
    print(f"{k.upper()} {label}: mean {m:.0f} msg/s (sd {sd:.0f}), CPU {c:.1f} s"
          + (f" over {len(good)} of {repeat} runs" if len(good) < repeat else ""))
    return m, c
ma, ca = stats("a", la)
mb, cb = stats("b", lb)
if ma and mb:
    print(f"A/B msg/s = {ma / mb:.3f}; A/B CPU = {ca / cb:.3f}")
EOF
