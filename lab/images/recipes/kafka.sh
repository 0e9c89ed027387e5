# Apache Kafka (KRaft, broker+controller in one JVM) from the Maven Central
# jars that lab/components/kafka.sh fetches, on the Debian base with the
# host's Debian OpenJDK 17 runtime (java + lib + conf, no jmods/docs).
# Follows the apache/kafka image's contract so the same manifests run on
# both: every KAFKA_<NAME> environment variable becomes a server property
# (NAME lower-cased, '_' -> '.', '__' -> '_', '___' -> '-'), CLUSTER_ID
# formats the log dirs on first start, KAFKA_HEAP_OPTS/KAFKA_OPTS go to the
# JVM. Kafka lives in /opt/kafka (libs/, config/, bin/).
REF="kubeproof.local/kafka:$KAFKA_VERSION"
BASE=debian
CONFIG='{"Entrypoint":["/etc/kafka/docker/run"],"WorkingDir":"/opt/kafka","ExposedPorts":{"9092/tcp":{}},"Env":["PATH=/opt/kafka/bin:/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","KAFKA_HOME=/opt/kafka"]}'
populate() {
  bash "$LAB_DIR/components/kafka.sh" >&2
  local jre kh="$CACHE/kafka-$KAFKA_VERSION"
  jre="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  mkdir -p "$1/opt/java" "$1/opt/kafka/bin" "$1/opt/kafka/config" "$1/etc/kafka/docker" "$1/var/lib/kafka/data"
  cp -rL "$jre/bin" "$jre/conf" "$1/opt/java/"
  tar -C "$jre" -chf - --exclude=ct.sym --exclude=src.zip --exclude=libatk-wrapper.so --exclude=libawt_xawt.so lib | tar -C "$1/opt/java" -xf -
  cp -rL "$kh/libs" "$1/opt/kafka/"
  cp -L "$kh/config/log4j2.properties" "$1/opt/kafka/config/"
  local pair
  for pair in kafka-server-start:kafka.Kafka kafka-storage:kafka.tools.StorageTool \
              kafka-topics:org.apache.kafka.tools.TopicCommand \
              kafka-console-producer:org.apache.kafka.tools.ConsoleProducer \
              kafka-console-consumer:org.apache.kafka.tools.consumer.ConsoleConsumer \
              kafka-consumer-groups:org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
              kafka-broker-api-versions:org.apache.kafka.tools.BrokerApiVersionsCommand; do
    # shellcheck disable=SC2016
    printf '#!/bin/bash\nexec java ${KAFKA_TOOL_HEAP_OPTS:--Xmx256m} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp "/opt/kafka/libs/*" %s "$@"\n' \
      "${pair#*:}" > "$1/opt/kafka/bin/${pair%%:*}"
    ln -s "${pair%%:*}" "$1/opt/kafka/bin/${pair%%:*}.sh"
  done
  cat > "$1/etc/kafka/docker/run" <<'SH'
#!/bin/bash
# apache/kafka-compatible start script (kubeproof lab image).
set -euo pipefail
PROPS=/opt/kafka/config/server.properties
: > "$PROPS"
skip=" KAFKA_VERSION KAFKA_HOME KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_LOG4J_OPTS KAFKA_JMX_OPTS KAFKA_JMX_HOSTNAME KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL KAFKA_TOOL_HEAP_OPTS KAFKA_LOG_LEVEL "
while IFS='=' read -r -d '' name value; do
  case "$name" in KAFKA_*) ;; *) continue ;; esac
  case "$skip" in *" $name "*) continue ;; esac
  case "$name" in KAFKA_PORT|KAFKA_PORT_*|KAFKA_SERVICE_*) continue ;; esac # Service links of a Service named kafka
  key="${name#KAFKA_}"; key="${key,,}"; key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
  printf '%s=%s\n' "$key" "$value" >> "$PROPS"
done < <(env -0)
grep -q '^log.dirs=' "$PROPS" || echo "log.dirs=/var/lib/kafka/data" >> "$PROPS"
echo "kafka: server.properties:"; grep -v -i 'password' "$PROPS" | sed 's/^/  /'
CLUSTER_ID="${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}"
java ${KAFKA_TOOL_HEAP_OPTS:--Xmx256m} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp "/opt/kafka/libs/*" \
  kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" --config "$PROPS" --ignore-formatted
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true} ${KAFKA_OPTS:-} \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp "/opt/kafka/libs/*" kafka.Kafka "$PROPS"
SH
  chmod +x "$1/etc/kafka/docker/run" "$1/opt/kafka/bin/"*
  "$1/opt/java/bin/java" -version >&2
}
