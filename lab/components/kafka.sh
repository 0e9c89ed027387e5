#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Apache Kafka in KRaft mode (no ZooKeeper) from Maven Central jars.
#
# The Apache binary tarball is not on any registry we may use, but its libs/
# are ordinary Maven artifacts: kafka/pom.xml lists the broker, the CLI tools
# and a log4j2 backend, and `mvn dependency:copy-dependencies` fetches them.
# The broker runs from plain java main classes (kafka.tools.StorageTool to
# format storage, kafka.Kafka to serve); small launchers wrap those.
#
# Output: $CACHE/kafka-<ver>/{libs,config,bin} (+ symlink $CACHE/kafka),
# stamp kafka-<ver>.
set -euo pipefail
COMPONENT=kafka
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

V="$KAFKA_VERSION"
HOME_DIR="$CACHE/kafka-$V"
SRC="$LAB_DIR/components/kafka"

if stamp_ok "kafka-$V" "$HOME_DIR/libs/kafka_2.13-$V.jar" "$HOME_DIR/bin/kafka-run-class"; then
  ln -sfn "kafka-$V" "$CACHE/kafka"
  log "kafka $V already installed ($HOME_DIR)"
  exit 0
fi

# Kafka 4 brokers need Java 17+; Debian 12's default JRE is 17.
command -v java >/dev/null 2>&1 || apt_ensure openjdk-17-jre-headless
command -v mvn >/dev/null 2>&1 || apt_ensure maven
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "java $java_major is too old for Kafka $V (needs 17+)" "apt-get install openjdk-17-jre-headless and make it the default java"

mkdir -p "$HOME_DIR/bin" "$HOME_DIR/config" "$BUILD_LOGS"
log "fetching kafka_2.13 $V and runtime dependencies from Maven Central (log: $BUILD_LOGS/kafka-$V.log)"
rm -rf "$HOME_DIR/libs.tmp"
mvn -q -B -Dstyle.color=never -f "$SRC/pom.xml" dependency:copy-dependencies \
  -Dkafka.version="$V" -DoutputDirectory="$HOME_DIR/libs.tmp" >"$BUILD_LOGS/kafka-$V.log" 2>&1 \
  || { tail -n 20 "$BUILD_LOGS/kafka-$V.log" >&2; die "maven could not fetch Kafka $V (log: $BUILD_LOGS/kafka-$V.log)" "check access to Maven Central; if an artifact of $V is missing, pin another KAFKA_VERSION in lab/pins.env"; }
rm -rf "$HOME_DIR/libs"
mv "$HOME_DIR/libs.tmp" "$HOME_DIR/libs"

cp "$SRC/log4j2.properties" "$SRC/server.properties.template" "$HOME_DIR/config/"

# Launchers, in the spirit of Kafka's bin/*.sh: one generic runner and thin
# named wrappers. Heap defaults are small: this is a test broker.
cat >"$HOME_DIR/bin/kafka-run-class" <<'EOF'
#!/usr/bin/env bash
# kafka-run-class MAIN_CLASS [ARGS...] — run a Kafka main class from ../libs.
set -euo pipefail
KAFKA_HOME="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
# shellcheck disable=SC2086 # the *_OPTS variables are word lists by design
exec java ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} ${KAFKA_JVM_OPTS:--XX:+UseG1GC -Djava.awt.headless=true} \
  -Dlog4j2.configurationFile="${KAFKA_LOG4J_CONFIG:-$KAFKA_HOME/config/log4j2.properties}" \
  -cp "$KAFKA_HOME/libs/*" "$@"
EOF
for pair in kafka-server-start:kafka.Kafka kafka-storage:kafka.tools.StorageTool \
            kafka-topics:org.apache.kafka.tools.TopicCommand \
            kafka-console-producer:org.apache.kafka.tools.ConsoleProducer \
            kafka-console-consumer:org.apache.kafka.tools.consumer.ConsoleConsumer; do
  # shellcheck disable=SC2016 # the $(...) is for the generated script
  printf '#!/usr/bin/env bash\nexec "$(dirname "$(readlink -f "$0")")/kafka-run-class" %s "$@"\n' "${pair#*:}" >"$HOME_DIR/bin/${pair%%:*}"
done
chmod +x "$HOME_DIR/bin/"*

# Smoke test: the storage tool loads (classpath complete, logging wired).
uuid="$(KAFKA_LOG_LEVEL=WARN KAFKA_HEAP_OPTS=-Xmx128m "$HOME_DIR/bin/kafka-storage" random-uuid 2>>"$BUILD_LOGS/kafka-$V.log")" \
  || die "kafka-storage random-uuid failed (log: $BUILD_LOGS/kafka-$V.log)" "the jar set in $HOME_DIR/libs is incomplete; delete $HOME_DIR and re-run"
[ -n "$uuid" ] || die "kafka-storage random-uuid printed nothing" "delete $HOME_DIR and re-run"

ln -sfn "kafka-$V" "$CACHE/kafka"
stamp_set "kafka-$V"
record_time "kafka-$V" "$SECONDS"
log "installed kafka $V ($(find "$HOME_DIR/libs" -name "*.jar" | wc -l) jars, $(du -sh "$HOME_DIR/libs" | cut -f1))"
