#!/usr/bin/env bash
# mailbridge benchmark: backfill throughput vs a plain camel-mail route and vs a raw IMAP fetch,
# idle-poll cost at SMALL_N and BIG_N messages, peak RSS. See bench/README.md.
#
#   bash bench/run.sh [N]                 # full run; N = backfill size (default 10000)
#   bash bench/run.sh --memory [N]        # only: mailbridge backfill of N (default 100000) with -Xmx256m
#
# Environment: BIG_N (100000) and SMALL_N (1000) idle-poll mailbox sizes; IDLE_POLLS (200) timed idle
# polls for mailbridge; BASELINE_IDLE_POLLS (5) and BASELINE_IDLE_MAX_S (60) for the baseline (each of
# its polls re-reads the whole folder), BASELINE_IDLE_MAX_N (20000: the baseline's idle poll is skipped above
# this mailbox size, it needs ~25 min to backfill 100k); SKIP_IDLE=1, SKIP_BUILD=1, SKIP_KAFKA=1 (no Kafka-sink row);
# BASELINE_HEAPS (default "256m 1g 4g": the heaps the baseline is tried with, in order, until one neither OOMs nor stalls);
# TIMEOUT_S (1800) per timed run; STALL_S (60): a timed run with no new record and nothing read for this long,
# or with an OutOfMemoryError in its log, is stopped and shown as such, and the bench goes on (bench/lib.sh);
# MAILBRIDGE_REF=<git ref> benchmarks that commit (git archive into a temp dir, built and run there)
# instead of the working tree.
# Output goes to the terminal and to bench/results/last-run.txt.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH/.." && pwd -P)
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
MODE=full
if [[ ${1:-} == --memory ]]; then
  MODE=memory
  N=${2:-100000}
else
  N=${1:-10000}
fi
BIG_N=${BIG_N:-100000}
SMALL_N=${SMALL_N:-1000}
IDLE_POLLS=${IDLE_POLLS:-200}
BASELINE_IDLE_POLLS=${BASELINE_IDLE_POLLS:-5}
BASELINE_IDLE_MAX_S=${BASELINE_IDLE_MAX_S:-60}
BASELINE_IDLE_MAX_N=${BASELINE_IDLE_MAX_N:-20000}
TIMEOUT_S=${TIMEOUT_S:-1800}
[[ $N =~ ^[0-9]+$ && $BIG_N =~ ^[0-9]+$ && $SMALL_N =~ ^[0-9]+$ ]] || { echo "N, BIG_N, SMALL_N must be numbers" >&2; exit 2; }

mkdir -p "$BENCH/results"
LOG="$BENCH/results/last-run.txt"
[[ $MODE == memory ]] && LOG="$BENCH/results/last-memory-run.txt"
exec > >(tee "$LOG") 2>&1

WORK=$(mktemp -d /tmp/mailbridge-bench.XXXXXX)
chmod 755 "$WORK"            # Dovecot's mail processes (user "mail" under root) must traverse it
RES="$WORK/results"
# Record sinks go to tmpfs when there is one. On ext4, creating a file in a block group full of
# recently deleted inodes costs ~0.5 ms of kernel time (ext4's recently_deleted() scan; seen here
# after test runs and earlier bench runs deleted their outputs, against ~30 us in a clean group).
# That is the disk's history, not the code under test, and it hit whichever run came second.
SINKS=${SINK_DIR:-}
if [[ -z $SINKS ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then SINKS=$(mktemp -d /dev/shm/mailbridge-bench-sinks.XXXXXX); else SINKS="$WORK/sinks"; fi
fi
mkdir -p "$SINKS"
mkdir -p "$RES" "$WORK/pids"
DOVECOTS=()
TOOL=(python3 "$BENCH/benchtool.py")

cleanup() {
  local rc=$?
  stop_started
  rm -rf "$WORK"
  [[ -z ${SINK_DIR:-} ]] && rm -rf "$SINKS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# start_mailbox DIR N PROFILE [MANIFEST] -> sets PORT; Maildir written before Dovecot starts (dovecot.sh chowns it)
start_mailbox() {
  local dir=$1 n=$2 profile=$3 manifest=${4:-$1/manifest.json} t=$SECONDS
  "${TOOL[@]}" gen --maildir "$dir/mail/alice" --n "$n" --profile "$profile" --manifest "$manifest"
  PORT=$(free_port)
  "$ROOT/scripts/dovecot.sh" start "$dir" "$PORT" >/dev/null
  DOVECOTS+=("$dir")
  "${TOOL[@]}" warm --port "$PORT" --n "$n"
  sync  # the corpus's dirty pages are written back now, not during the first timed run
  echo "mailbox ready on 127.0.0.1:$PORT ($((SECONDS - t)) s to generate, start and index)"
}

# Reads the corpus into the page cache before a timed run, so every run starts alike. This VM's page
# cache does not keep a corpus for long (seen: a 10k corpus read back at 5,800 msg/s by the raw fetch
# after a larger run, 12,500-14,500 msg/s once re-read), and a run's sink on tmpfs pushes it out.
stop_mailbox() {
  "$ROOT/scripts/dovecot.sh" stop "$1" >/dev/null || true
  rm -rf "$1"
}

# the product, as documented, against the bench Dovecot; OUT gets inbox/, checkpoints/, ...
mailbridge_cmd() {  # PORT OUT CHECKPOINTS -> MB_CMD array (records in OUT on tmpfs, checkpoints on disk: they are fsynced)
  local port=$1 out=$2 ckpt=$3
  MB_CMD=(java -Xmx256m -Dmail.embedded.enabled=false -Dmail.embedded.demo-request=false
    -Dmail.imap.host=127.0.0.1 -Dmail.imap.port="$port" -Dmail.imap.username=alice -Dmail.imap.password=secret
    "-Dmail.sink.uri=file:$out/inbox?tempPrefix=.writing-" -Dmail.checkpoint.dir="$ckpt"
    -Dmail.dead-letter.uri="file:$out/dead" "-Dmail.outbox.uri=file:$out/outbox?delete=true"
    -Dmail.outbox.failed-uri="file:$out/failed" -Dmail.sink.log-level=OFF -Dcamel.management.enabled=false
    -Dmail.imap.poll-delay=1s ${MAILBRIDGE_JAVA_OPTS:-} -jar "$MB_HOME/target/mailbridge.jar")
}

run_mailbridge() {  # NAME PORT N
  local name=$1 port=$2 n=$3 out="$SINKS/$1-out"
  rm -rf "$out" "$WORK/$name-checkpoints"; mkdir -p "$out"
  mailbridge_cmd "$port" "$out" "$WORK/$name-checkpoints"
  "${TOOL[@]}" measure --name "$name" --n "$n" --count-dir "$out/inbox" --marker 'started in' \
    --log "$WORK/$name.log" --out "$RES/$name.json" --cwd "$MB_HOME" --timeout "$TIMEOUT_S" \
    --pidfile "$WORK/pids/$name.pid" --set heap=-Xmx256m -- "${MB_CMD[@]}"
  grep -E 'ERROR|Exception' "$WORK/$name.log" | head -5 || true
  rm -rf "$out"
}

proc_cpu_s() {  # PID -> user+system CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# the same backfill into a one-node Kafka broker (scripts/kafka.sh) on the same cores, into a topic created
# beforehand (3 partitions, as a production topic would be). KafkaCount count turns the topic's end offsets (records the broker acknowledged) into marker files, so measure counts
# Kafka records like files without reading 550 MB back; KafkaCount keys then checks every key, untimed.
# KAFKA_SINK_OPTIONS (default empty) is appended to the sink URI, e.g. '&lingerMs=5&compressionCodec=lz4'.
run_mailbridge_kafka() {  # PORT N
  local port=$1 n=$2 out="$SINKS/kafka-out" kdir="$WORK/kafka" kport topic rpid bpid b0 r0
  rm -rf "$out" "$WORK/kafka-checkpoints"; mkdir -p "$out/inbox"
  kport=$(free_port)
  "$ROOT/scripts/kafka.sh" start "$kdir" "$kport" >/dev/null
  bpid=$(cat "$kdir/kafka.pid")
  topic="bench-$RANDOM$RANDOM"
  java -Xmx256m -cp "$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")" io.mailbridge.bench.KafkaCount \
    count "127.0.0.1:$kport" "$topic" "$out/inbox" > "$WORK/kafka-count.log" 2>&1 &
  rpid=$!; echo "$rpid" > "$WORK/pids/kafka-count.pid"
  for _ in $(seq 300); do grep -q BENCH-COUNTING "$WORK/kafka-count.log" && break; sleep 0.1; done  # topic created
  b0=$(proc_cpu_s "$bpid"); r0=$(proc_cpu_s "$rpid")
  mailbridge_cmd "$port" "$out" "$WORK/kafka-checkpoints"
  MB_CMD=("${MB_CMD[@]:0:${#MB_CMD[@]}-2}" "-Dmail.sink.uri=kafka:$topic?brokers=127.0.0.1:$kport${KAFKA_SINK_OPTIONS:-}" "${MB_CMD[@]: -2}")
  "${TOOL[@]}" measure --name kafka --n "$n" --count-dir "$out/inbox" --marker 'started in' \
    --log "$WORK/kafka.log" --out "$RES/kafka.json" --cwd "$MB_HOME" --timeout "$TIMEOUT_S" \
    --pidfile "$WORK/pids/kafka-mb.pid" --set heap=-Xmx256m -- "${MB_CMD[@]}" || true
  python3 -c 'import json,sys; p=sys.argv[1]; r=json.load(open(p)); r["broker_cpu_s"]=float(sys.argv[2]); r["reader_cpu_s"]=float(sys.argv[3]); json.dump(r,open(p,"w"))' \
    "$RES/kafka.json" "$(python3 -c "print($(proc_cpu_s "$bpid") - $b0)")" "$(python3 -c "print($(proc_cpu_s "$rpid") - $r0)")"
  kill "$rpid" 2>/dev/null || true
  java -Xmx256m -cp "$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")" io.mailbridge.bench.KafkaCount \
    keys "127.0.0.1:$kport" "$topic" "$n" 2>/dev/null | tee "$WORK/kafka-keys.txt" || true
  "$ROOT/scripts/kafka.sh" stop "$kdir" >/dev/null || true
  grep -E 'ERROR|Exception' "$WORK/kafka.log" | head -5 || true
  rm -rf "$out"
}

run_baseline() {  # PORT N MAILBOX_DIR ; -Xmx256m, rerun with -Xmx1g, then -Xmx4g, while a run OOMs or stalls
  local port=$1 n=$2 mailbox=$3 heap out status
  # BASELINE_HEAPS="1g 4g" skips the -Xmx256m attempt, which at 10k can spend many minutes in GC before its OOM
  for heap in ${BASELINE_HEAPS:-256m 1g 4g}; do
    cache_corpus "$mailbox"
    out="$SINKS/baseline-out"
    rm -rf "$out"; mkdir -p "$out"
    "${TOOL[@]}" measure --name baseline --n "$n" --count-dir "$out" --marker 'BENCH-STARTED' \
      --log "$WORK/baseline-$heap.log" --out "$RES/baseline.json" --timeout "$TIMEOUT_S" \
      --pidfile "$WORK/pids/baseline.pid" --set heap="-Xmx$heap" -- \
      java "-Xmx$heap" -cp "$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")" \
      io.mailbridge.bench.BaselineCamelMail "$port" "$out" "$n" "$TIMEOUT_S"
    rm -rf "$out"
    status=$(json_field "$RES/baseline.json" status)
    [[ $status == OOM || $status == stalled ]] || break
    cp "$RES/baseline.json" "$RES/baseline-failed-$heap.json"   # the report's note lists these
    echo "baseline with -Xmx$heap stopped: $(json_field "$RES/baseline.json" outcome)"
  done
}

# idle_poll WHO PORT N SIZE_LABEL K MAX_S ; -Xmx256m, rerun with -Xmx1g, then -Xmx4g, while a run OOMs or stalls
idle_poll() {
  local who=$1 port=$2 n=$3 label=$4 k=$5 max_s=$6 heap cp line status out why
  if [[ $who == mailbridge ]]; then cp="$BENCH/target/classes:$MB_HOME/target/mailbridge.jar"; else cp="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"; fi
  for heap in 256m 1g 4g; do
    out="$WORK/idle-$who-$label"
    rm -rf "$out" "$WORK/idle-run.json"
    set +e
    "${TOOL[@]}" run --name "$who idle N=$n -Xmx$heap" --log "$WORK/idle-$who-$label-$heap.log" --count-dir "$out/out" \
      --out "$WORK/idle-run.json" --timeout "$TIMEOUT_S" --pidfile "$WORK/pids/idle.pid" -- \
      java "-Xmx$heap" -cp "$cp" io.mailbridge.bench.IdlePollBench "$who" "$port" "$n" "$out" "$k" "$max_s"
    status=$?
    set -e
    why=$(json_field "$WORK/idle-run.json" status 2>/dev/null || true)   # exited, OOM, stalled or timeout ...
    line=$(grep -m1 '^IDLE-RESULT ' "$WORK/idle-$who-$label-$heap.log" || true)
    rm -rf "$out"
    if [[ $why == OOM || $why == stalled ]]; then
      [[ $heap != 4g ]] && continue
    fi
    break
  done
  grep -E '^backfill:' "$WORK/idle-$who-$label-$heap.log" | sed "s/^/$who N=$n /" || true
  if [[ -n $line ]]; then
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["heap"]=sys.argv[2]; r["n"]=int(sys.argv[3]); print(json.dumps(r))' \
      "${line#IDLE-RESULT }" "$heap" "$n" > "$RES/idle-$who-$label.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%s idle poll at N=%d: median %.2f ms, mean %.2f ms over %d polls (-Xmx%s)" % (sys.argv[2], r["n"], r["median_ms"], r["mean_ms"], r["polls"], r["heap"]))' "$RES/idle-$who-$label.json" "$who"
  else
    why=$(json_field "$WORK/idle-run.json" outcome 2>/dev/null || true)   # e.g. "stalled at 0 records after 60 s ..."
    [[ -n $why && $why != exited ]] || why=failed
    echo "{\"status\": \"$why (exit $status, -Xmx$heap), see log\", \"n\": $n}" > "$RES/idle-$who-$label.json"
    echo "$who idle N=$n: $why (exit $status, -Xmx$heap):"; tail -n 15 "$WORK/idle-$who-$label-$heap.log"
  fi
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo)"
  echo "java: $(java -version 2>&1 | head -n 2 | tr '\n' ' ')"
  echo "dovecot: $(dovecot --version)   date: $(date -u +%FT%TZ)   commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
}

section "mailbridge benchmark ($MODE, N=$N$([[ $MODE == full ]] && echo ", idle at $SMALL_N and $BIG_N"))"
machine

MB_HOME=$ROOT   # where mailbridge is built and run from (application.properties, routes/, target/mailbridge.jar)
if [[ -n ${MAILBRIDGE_REF:-} ]]; then
  MB_HOME="$WORK/mailbridge-src"
  mkdir -p "$MB_HOME"
  git -C "$ROOT" archive "$MAILBRIDGE_REF" | tar -x -C "$MB_HOME"
  echo "mailbridge under test: $MAILBRIDGE_REF = $(git -C "$ROOT" rev-parse --short "$MAILBRIDGE_REF") (git archive)"
  (cd "$MB_HOME" && mvn -q -B package -DskipTests)
else
  echo "mailbridge under test: working tree of $ROOT (HEAD $(git -C "$ROOT" rev-parse --short HEAD)$([[ -n $(git -C "$ROOT" status --porcelain -- src pom.xml routes application.properties) ]] && echo ', with uncommitted changes'))"
fi

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  section build
  [[ -n ${MAILBRIDGE_REF:-} ]] || (cd "$ROOT" && mvn -q -B package -DskipTests)
  (cd "$BENCH" && mvn -q -B package -DskipTests)
  echo "built target/mailbridge.jar and bench/target/classes"
fi

if [[ $MODE == memory ]]; then
  section "memory: mailbridge backfill of $N messages with -Xmx256m"
  start_mailbox "$WORK/dv-memory" "$N" mixed "$RES/manifest.json"
  cache_corpus "$WORK/dv-memory"
  run_mailbridge memory "$PORT" "$N"
  stop_mailbox "$WORK/dv-memory"
  section results
  "${TOOL[@]}" report --dir "$RES"
  exit 0
fi

section "backfill corpus: $N messages"
BACKFILL_DIR="$WORK/dv-backfill"
start_mailbox "$BACKFILL_DIR" "$N" mixed "$RES/manifest.json"
BPORT=$PORT

section "a. mailbridge backfill"
cache_corpus "$BACKFILL_DIR"
run_mailbridge mailbridge "$BPORT" "$N"
sync  # each run starts without the previous run's sink writes pending
if [[ ${SKIP_KAFKA:-0} != 1 ]]; then
  section "a2. mailbridge backfill into Kafka (one-node broker on the same cores)"
  cache_corpus "$BACKFILL_DIR"
  run_mailbridge_kafka "$BPORT" "$N"
  sync
fi
section "b. baseline (camel-mail + idempotent consumer) backfill"
run_baseline "$BPORT" "$N" "$BACKFILL_DIR"
sync
section "c. limit: one raw UID FETCH 1:* (UID FLAGS RFC822)"
cache_corpus "$BACKFILL_DIR"
"${TOOL[@]}" limit --port "$BPORT" --n "$N" --manifest "$RES/manifest.json" --out "$RES/limit.json"
stop_mailbox "$BACKFILL_DIR"

if [[ ${SKIP_IDLE:-0} != 1 ]]; then
  for spec in "small:$SMALL_N" "big:$BIG_N"; do
    label=${spec%%:*} n=${spec#*:}
    section "idle poll at N=$n (small messages)"
    start_mailbox "$WORK/dv-idle-$label" "$n" small
    idle_poll mailbridge "$PORT" "$n" "$label" "$IDLE_POLLS" 30
    if (( n <= BASELINE_IDLE_MAX_N )); then
      idle_poll baseline "$PORT" "$n" "$label" "$BASELINE_IDLE_POLLS" "$BASELINE_IDLE_MAX_S"
    else
      echo "baseline idle N=$n: skipped (N > BASELINE_IDLE_MAX_N=$BASELINE_IDLE_MAX_N; camel-mail handles ~70 msg/s here, its backfill alone takes ~25 min at 100k)"
      echo "{\"status\": \"skipped: N > BASELINE_IDLE_MAX_N=$BASELINE_IDLE_MAX_N\", \"n\": $n}" > "$RES/idle-baseline-$label.json"
    fi
    stop_mailbox "$WORK/dv-idle-$label"
  done
fi

section results
"${TOOL[@]}" report --dir "$RES"
