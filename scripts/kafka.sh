#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft: broker + controller in one JVM) for
# development and integration tests — no Docker, no ZooKeeper.
#
#   scripts/kafka.sh fetch    download kafka_2.13 and its runtime jars from Maven Central (once, cached)
#   scripts/kafka.sh start    format storage on first start, start the broker, wait until it accepts connections
#   scripts/kafka.sh stop     stop it cleanly (SIGTERM, controlled shutdown), SIGKILL only after a timeout
#   scripts/kafka.sh status   exit 0 and print the pid when it runs
#
# The jars live outside the repository (KAFKA_CACHE, default ~/.cache/support-desk/kafka-<ver>);
# data and logs live under KAFKA_HOME_DIR (default ~/.cache/support-desk/kafka-run-<port>).
# Several independent instances can run side by side by choosing other ports
# (KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_HOME_DIR) — the broker-restart test does that.
#
# Environment (all optional):
#   KAFKA_VERSION          default 3.9.1 (the 3.x line kafkajs 2.2 targets; 4.x dropped old protocol versions, KIP-896)
#   KAFKA_PORT             default 19092
#   KAFKA_CONTROLLER_PORT  default KAFKA_PORT+1
#   KAFKA_HOME_DIR         data + logs + pid file
#   KAFKA_HEAP             default -Xmx512m -Xms128m
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
SCALA_VERSION=2.13
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/support-desk"
KAFKA_CACHE="${KAFKA_CACHE:-$CACHE_ROOT/kafka-$KAFKA_VERSION}"
JARS="$KAFKA_CACHE/jars"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
HOME_DIR="${KAFKA_HOME_DIR:-$CACHE_ROOT/kafka-run-$PORT}"
DATA_DIR="$HOME_DIR/data"
LOG_DIR="$HOME_DIR/logs"
PID_FILE="$HOME_DIR/kafka.pid"
PROPS="$HOME_DIR/server.properties"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms128m}"

log() { echo "kafka.sh: $*" >&2; }

fetch() {
  if [[ -f "$JARS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn is required to fetch Kafka"; exit 1; }
  mkdir -p "$KAFKA_CACHE"
  # A throw-away pom whose only purpose is to let Maven resolve kafka_2.13's
  # runtime closure; the slf4j binding is what the Kafka distribution ships.
  cat >"$KAFKA_CACHE/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.support-desk</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_VERSION</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
EOF
  log "fetching Kafka $KAFKA_VERSION from Maven Central into $JARS"
  rm -rf "$JARS"
  mvn -B -q -f "$KAFKA_CACHE/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$JARS" >"$KAFKA_CACHE/fetch.log" 2>&1 ||
    { cat "$KAFKA_CACHE/fetch.log" >&2; log "fetch failed"; exit 1; }
  touch "$JARS/.complete"
}

pid() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && cat "$PID_FILE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  cat >"$PROPS" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Tests create many consumer groups: join quickly instead of the default 3 s wait.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
log.segment.bytes=104857600
EOF
  cat >"$HOME_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG_DIR/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
}

java_run() {
  java $HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HOME_DIR/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$JARS/*" "$@"
}

start() {
  fetch
  if p=$(pid); then log "already running (pid $p) on 127.0.0.1:$PORT"; return 0; fi
  if port_open "$PORT"; then log "port $PORT is taken by another process"; exit 1; fi
  write_config
  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    local cluster_id
    cluster_id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
    java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >"$LOG_DIR/format.log" 2>&1 ||
      { cat "$LOG_DIR/format.log" >&2; log "storage format failed"; exit 1; }
  fi
  # setsid: the broker must outlive the shell (and the test) that started it.
  setsid java $HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HOME_DIR/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$JARS/*" kafka.Kafka "$PROPS" >"$LOG_DIR/stdout.log" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if ! pid >/dev/null; then tail -n 40 "$LOG_DIR/stdout.log" "$LOG_DIR/server.log" >&2 || true; log "broker exited during start"; exit 1; fi
    # The port opens before the broker has registered with the controller; the
    # "started" line is the broker's own statement that it serves requests.
    if port_open "$PORT" && grep -q 'Kafka Server started\|\[KafkaRaftServer nodeId=1\] Kafka Server started' "$LOG_DIR/server.log" 2>/dev/null; then
      log "running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT, data in $DATA_DIR"
      return 0
    fi
    sleep 0.5
  done
  log "broker did not start within 60 s; see $LOG_DIR"
  exit 1
}

stop() {
  local p
  if ! p=$(pid); then log "not running"; rm -f "$PID_FILE"; return 0; fi
  kill -TERM "$p"
  for _ in $(seq 1 60); do
    if ! kill -0 "$p" 2>/dev/null; then rm -f "$PID_FILE"; log "stopped"; return 0; fi
    sleep 0.5
  done
  log "no clean shutdown after 30 s; killing"
  kill -KILL "$p" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  local p
  if p=$(pid); then echo "running pid=$p port=$PORT home=$HOME_DIR"; else echo "stopped"; return 1; fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 {fetch|start|stop|status}  (--help for details)" >&2; exit 2 ;;
esac
