import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { BrokerLayout, KafkaLine } from './broker-layout.js';
import { securityProperties, type BrokerTls } from './broker-security.js';

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding; Kafka rejects one starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The secured listeners of a broker started with `security`: SASL (PLAIN, SCRAM-SHA-512) and TLS. */
export interface SecuredListeners {
  readonly saslPort: number;
  readonly sslPort: number;
  readonly tls: BrokerTls;
}

/**
 * One combined broker+controller, tuned for a single node and for fast tests. The PLAINTEXT listener is always
 * there (the broker talks to itself over it, and tests set topics up through it); `secured` adds the others.
 */
export function writeServerProperties(layout: BrokerLayout, port: number, controllerPort: number, secured?: SecuredListeners): void {
  const extraListeners = secured === undefined ? '' : `,SASL_PLAINTEXT://127.0.0.1:${secured.saslPort},SSL://127.0.0.1:${secured.sslPort}`;
  const extraProtocols = secured === undefined ? '' : ',SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL';
  const properties: Array<[string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${extraListeners}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${port}${extraListeners}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', `CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${extraProtocols}`],
    ...(secured === undefined ? [] : securityProperties(secured.tls)),
    ['log.dirs', layout.dataDir],
    // A single broker cannot hold 3 replicas: without these, consumer groups and transactions never work.
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    // Speed: no wait for more members on the first join, few internal partitions, a small cleaner buffer.
    ['group.initial.rebalance.delay.ms', 0],
    ['offsets.topic.num.partitions', 5],
    ['transaction.state.log.num.partitions', 5],
    ['log.cleaner.dedupe.buffer.size', 2 * 1024 * 1024],
    ['num.partitions', 1],
    ['auto.create.topics.enable', 'false'],
  ];
  writeFileSync(layout.propertiesFile, properties.map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
}

/** A log4j2 configuration sending every INFO line to `logFile` (the broker's and Kafka Connect's format). */
export function log4j2FileConfig(logFile: string): string {
  return [
    'appender.file.type=File',
    'appender.file.name=file',
    `appender.file.fileName=${logFile}`,
    'appender.file.layout.type=PatternLayout',
    'appender.file.layout.pattern=[%d] %p %m (%c)%n',
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.file.ref=file',
    '',
  ].join('\n');
}

/** Sends the broker's log to a file in the logs folder; the format differs between the log4j2 and log4j 1 lines. */
export function writeLoggingConfig(layout: BrokerLayout, line: KafkaLine): { jvmFlag: string } {
  const logFile = `${layout.logsDir}/server.log`;
  if (line === '4.1') {
    writeFileSync(layout.loggingConfigFile, log4j2FileConfig(logFile));
    return { jvmFlag: `-Dlog4j2.configurationFile=${layout.loggingConfigFile}` };
  }
  writeFileSync(
    layout.loggingConfigFile,
    [
      'log4j.rootLogger=INFO, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${logFile}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return { jvmFlag: `-Dlog4j.configuration=file:${layout.loggingConfigFile}` };
}
