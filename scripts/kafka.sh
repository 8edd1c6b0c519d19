#!/usr/bin/env bash
# Throwaway single-node Kafka broker (KRaft, broker+controller in one JVM) on loopback, for tests and
# benchmarks. The broker jars come from Maven (scripts/kafka/pom.xml), copied once into a cache dir.
#
#   scripts/kafka.sh start <dir> <port>   # PLAINTEXT on 127.0.0.1:<port>, controller on <port>+1
#   scripts/kafka.sh stop <dir>           # SIGTERM, then SIGKILL after 20 s
#   scripts/kafka.sh jars                 # only resolve the jars (prints the cache dir)
#
# Everything (server.properties, log.dirs, broker log, pid) lives in <dir>. The broker runs in its own
# JVM so its kafka-clients never meets camel-kafka's. KAFKA_JARS overrides the cache directory;
# KAFKA_HEAP (default 256m) the broker heap.
set -euo pipefail

die() { echo "kafka.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start <dir> <port> | $0 stop <dir> | $0 jars"; }
here=$(cd "$(dirname "$0")" && pwd -P)
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")
jars=${KAFKA_JARS:-${XDG_CACHE_HOME:-$HOME/.cache}/mailbridge/kafka-$version}
# any base64url 16-byte id will do: every directory is its own one-node cluster
cluster_id=MkU3OEVBNTcwNTJENDM2Qg
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

resolve_jars() {
  [[ -f $jars/kafka_2.13-$version.jar ]] && return 0
  command -v mvn >/dev/null || die "mvn is needed to fetch the Kafka jars"
  mkdir -p "$jars.tmp"
  mvn -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$jars.tmp" >&2 \
    || die "could not resolve org.apache.kafka:kafka_2.13:$version from Maven"
  rm -rf "$jars" && mv "$jars.tmp" "$jars"
}

write_config() { # <dir> <port>
  local dir=$1 port=$2 ctl=$(( $2 + 1 ))
  cat >"$dir/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
CONF
  cat >"$dir/log4j2.properties" <<CONF
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/broker.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
CONF
}

start() {
  [[ $# -eq 2 ]] || usage
  local dir port=$2 pid i
  [[ $port =~ ^[0-9]+$ ]] || die "port must be numeric: $port"
  dir=$(abs_dir "$1")
  if [[ -s $dir/kafka.pid ]] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
    die "already running in $dir (pid $(cat "$dir/kafka.pid"))"
  fi
  port_open "$port" && die "port 127.0.0.1:$port is already in use"
  port_open $((port + 1)) && die "port 127.0.0.1:$((port + 1)) (controller) is already in use"
  resolve_jars
  write_config "$dir" "$port"
  local java=(java -Xms64m -Xmx"${KAFKA_HEAP:-256m}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
              -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$jars/*")
  # a data dir survives restarts (stop/start keeps the topics); format only once
  if [[ ! -f $dir/data/meta.properties ]]; then
    "${java[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; die "formatting $dir/data failed"; }
  fi
  local attempt
  for attempt in 1 2 3; do
    nohup "${java[@]}" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/kafka.pid"
    if await_started "$dir" "$port" "$pid"; then
      echo "kafka $version started on 127.0.0.1:$port (pid $pid, dir $dir)"
      return 0
    fi
    # seen in CI: a restarted broker exiting at once with nothing in its logs, then starting on a second try
    echo "kafka.sh: broker exited during startup (attempt $attempt, exit status $exit_status):" >&2
    ls -la "$dir" >&2 || true
    for log in "$dir/stdout.log" "$dir/broker.log"; do
      if [[ -f $log ]]; then echo "--- $log" >&2; tail -30 "$log" >&2; else echo "--- $log: missing" >&2; fi
    done
    sleep 5
  done
  die "broker exited during startup three times (logs in $dir)"
}

# Waits for the broker to answer; 0 when it did, 1 when it exited first (its status in exit_status).
await_started() {
  local dir=$1 port=$2 pid=$3 i
  for ((i = 0; i < 600; i++)); do # up to 60 s on a busy machine
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null
      exit_status=$?
      return 1
    fi
    if port_open "$port" && grep -q "Kafka Server started" "$dir/broker.log" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "broker did not start within 60 s (logs in $dir)"
}

stop() {
  [[ $# -eq 1 ]] || usage
  local dir=$1 pid i
  [[ -s $dir/kafka.pid ]] || { echo "kafka.sh: nothing running in $dir" >&2; return 0; }
  pid=$(cat "$dir/kafka.pid")
  if kill "$pid" 2>/dev/null; then
    for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/kafka.pid"
  echo "kafka stopped ($dir)"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  jars) resolve_jars; echo "$jars" ;;
  *) usage ;;
esac
