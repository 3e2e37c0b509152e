// Kafka in KRaft mode (one process is broker and controller) from the release jars on Maven Central:
// no download site and no Docker needed, only Java 17+ and Maven, both of which resolve offline once cached.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { isAlive, readPid, run, spawnDetached, stopPid, tcpAnswers, waitUntil } from "./lib.mjs";

/** Pinned: KIP-896 (4.0) dropped old protocol versions; kafkajs 2.2.4 is verified against this one. */
const version = "4.1.1";
/** Kafka 4.1's own log4j2 line; the slf4j 2 API is pinned because metrics-core drags in 1.7 otherwise. */
const log4jVersion = "2.24.3";
const slf4jVersion = "2.0.17";
const host = "127.0.0.1";
const port = 19092;
const controllerPort = 19093;

const libsDir = (cacheDir) => join(cacheDir, `libs-${version}`);

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>aiclone.services</groupId>
  <artifactId>kafka-libs</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${log4jVersion}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>${log4jVersion}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>${slf4jVersion}</version></dependency>
  </dependencies>
</project>
`;

const serverProperties = (runDir) => `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${host}:${controllerPort}
listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}
advertised.listeners=PLAINTEXT://${host}:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${join(runDir, "data")}
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
# Tests create and delete many small topics; keep the broker light on a 2-core machine.
num.network.threads=2
num.io.threads=4
log.segment.bytes=16777216
log.retention.hours=24
`;

// Warnings and errors only, to the server log; Kafka's INFO chatter would be megabytes per test run.
const log4j2Properties = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
logger.server.name = kafka.server.KafkaServer
logger.server.level = info
`;

// Serial GC and the C1 compiler only: a quicker start and less CPU on a 2-core machine shared with the
// tests; a test broker never needs the peak throughput C2 buys.
const javaArgs = (cacheDir, runDir, mainClass, args) => [
  "-Xmx512m",
  "-Xms128m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Djava.awt.headless=true",
  `-Dlog4j2.configurationFile=${join(runDir, "log4j2.properties")}`,
  "-cp",
  `${libsDir(cacheDir)}/*`,
  mainClass,
  ...args,
];

/** True once the broker serves metadata to a client, not merely accepts TCP. */
async function brokerAnswers() {
  if (!(await tcpAnswers(host, port))) return false;
  const admin = new Kafka({
    clientId: "services-probe",
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export const service = {
  name: "kafka",
  env: { KAFKA_BROKERS: `${host}:${port}` },

  async install({ cacheDir, log }) {
    const libs = libsDir(cacheDir);
    if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith(`kafka_2.13-${version}`))) return;
    const started = Date.now();
    log(`resolving Kafka ${version} jars from Maven Central`);
    mkdirSync(cacheDir, { recursive: true });
    const pomFile = join(cacheDir, `pom-${version}.xml`);
    writeFileSync(pomFile, pom);
    // Copy into a temporary folder first: a half-finished copy must not look installed.
    const partial = `${libs}.partial`;
    rmSync(partial, { recursive: true, force: true });
    await run("mvn", [
      "-q",
      "-B",
      "-f",
      pomFile,
      "dependency:copy-dependencies",
      `-DoutputDirectory=${partial}`,
      "-DincludeScope=runtime",
    ]);
    renameSync(partial, libs);
    log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },

  async start({ cacheDir, runDir, log }) {
    mkdirSync(runDir, { recursive: true });
    const config = join(runDir, "server.properties");
    writeFileSync(config, serverProperties(runDir));
    writeFileSync(join(runDir, "log4j2.properties"), log4j2Properties);
    // KRaft refuses an unformatted log dir; formatting once keeps data across restarts.
    if (!existsSync(join(runDir, "data", "meta.properties"))) {
      log("formatting storage");
      await run(
        "java",
        javaArgs(cacheDir, runDir, "kafka.tools.StorageTool", ["format", "-t", clusterId(), "-c", config]),
      );
    }
    spawnDetached("java", javaArgs(cacheDir, runDir, "kafka.Kafka", [config]), { runDir });
    await waitUntil("kafka", brokerAnswers, { timeoutMs: 120_000, runDir });
  },

  async stop({ runDir, log }) {
    const pid = readPid(runDir);
    if (!pid || !isAlive(pid)) return;
    log("stopping");
    // SIGTERM runs Kafka's controlled shutdown, which flushes logs so a restart does no recovery.
    await stopPid(runDir, 30_000);
  },

  async isUp() {
    return brokerAnswers();
  },
};

/** Kafka's cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). */
function clusterId() {
  return Buffer.from(randomUUID().replaceAll("-", ""), "hex").toString("base64url");
}
