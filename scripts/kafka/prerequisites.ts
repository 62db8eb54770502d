import { spawnSync } from 'node:child_process';

const HOW_ELSE =
  'Or run a broker with Docker: `docker compose up -d` (see docker-compose.yml), ' +
  'or point kstreams at an existing cluster: `export KAFKA_BROKERS=host:port`.';

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/**
 * Fails fast, before any download, with what to install when Java or Maven is missing; `component` and `howElse`
 * name what needs them and the way around it (the broker's by default).
 */
export function assertJavaAndMaven(component = 'The local Kafka broker', howElse = HOW_ELSE): void {
  const missing: string[] = [];
  if (!runs('java', ['-version'])) missing.push('Java 17+ (e.g. `apt-get install openjdk-17-jre-headless`)');
  if (!runs('mvn', ['-v'])) missing.push('Maven (e.g. `apt-get install maven`)');
  if (missing.length > 0) {
    throw new Error(`${component} needs ${missing.join(' and ')}. ${howElse}`);
  }
}
