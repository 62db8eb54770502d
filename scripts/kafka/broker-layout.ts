import { join, resolve } from 'node:path';

/** The Kafka lines the project can run. 4.1 is the default; `KAFKA_VERSION=3.9.2` selects the 3.9 line. */
export const DEFAULT_KAFKA_VERSION = '4.1.2';
const SUPPORTED_LINES = ['4.1.', '3.9.'] as const;

export type KafkaLine = '4.1' | '3.9';

export function selectedKafkaVersion(env: NodeJS.ProcessEnv = process.env): { version: string; line: KafkaLine } {
  const version = env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
  const line = SUPPORTED_LINES.find((prefix) => version.startsWith(prefix));
  if (!line) {
    throw new Error(`KAFKA_VERSION=${version} is not supported: use a 4.1.x or 3.9.x version (default ${DEFAULT_KAFKA_VERSION})`);
  }
  return { version, line: line === '4.1.' ? '4.1' : '3.9' };
}

/** Every file the local broker uses lives under `<repo>/.kafka/` (git-ignored). */
export function brokerLayout(version: string, root = resolve(import.meta.dirname, '..', '..')) {
  const base = join(root, '.kafka');
  const broker = join(base, 'broker');
  return {
    root,
    jarsDir: join(base, 'jars', version),
    mavenDir: join(base, 'maven', version),
    brokerDir: broker,
    dataDir: join(broker, 'data'),
    logsDir: join(broker, 'logs'),
    propertiesFile: join(broker, 'server.properties'),
    loggingConfigFile: join(broker, 'logging.properties'),
    /** Written once the broker serves: pid, port and version of the broker this project started. */
    stateFile: join(broker, 'broker.json'),
  };
}

export type BrokerLayout = ReturnType<typeof brokerLayout>;
