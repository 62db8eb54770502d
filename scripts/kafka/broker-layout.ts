import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The Kafka lines the project can run. 4.1 is the default; `KAFKA_VERSION=3.9.2` selects the 3.9 line. */
export const DEFAULT_KAFKA_VERSION = '4.1.2';
const SUPPORTED_LINES = ['4.1.', '3.9.'] as const;

/** The folder under `.kafka/` of the project's shared broker (the one `npm run kafka:start` runs). */
export const SHARED_BROKER = 'broker';

export type KafkaLine = '4.1' | '3.9';

export function selectedKafkaVersion(env: NodeJS.ProcessEnv = process.env): { version: string; line: KafkaLine } {
  const version = env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
  const line = SUPPORTED_LINES.find((prefix) => version.startsWith(prefix));
  if (!line) {
    throw new Error(`KAFKA_VERSION=${version} is not supported: use a 4.1.x or 3.9.x version (default ${DEFAULT_KAFKA_VERSION})`);
  }
  return { version, line: line === '4.1.' ? '4.1' : '3.9' };
}

/**
 * Every file a local broker uses lives under `<repo>/.kafka/` (git-ignored): the jars are shared, and each broker
 * has its own folder `name` (`broker` for the project's shared one; a test running a broker of its own, to kill it,
 * picks another name).
 */
export function brokerLayout(version: string, root = resolve(import.meta.dirname, '..', '..'), name = SHARED_BROKER) {
  if (!/^[a-zA-Z0-9._-]+$/.test(name) || name === 'jars' || name === 'maven') throw new Error(`"${name}" cannot name a broker folder under .kafka/`);
  // Resolved, so that a checkout whose .kafka is a link to another's (a git worktree) recognises the broker that
  // other checkout started, whose command line names the real path.
  const base = existsSync(join(root, '.kafka')) ? realpathSync(join(root, '.kafka')) : join(root, '.kafka');
  const broker = join(base, name);
  return {
    root,
    name,
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
