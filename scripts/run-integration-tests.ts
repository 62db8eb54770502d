import { spawnSync } from 'node:child_process';
import { cdcForTests, needsCdc } from './cdc/cdc-for-tests.js';
import { startBroker, stopBroker } from './kafka/local-broker.js';
import { waitUntilServing } from './kafka/warm-up.js';
import { registryInUse } from './registry/local-registry.js';
import { testFiles } from './test-files.js';

/**
 * Tests whose outcome does not depend on the adapter the applications run on: they test the broker, the package or
 * one adapter by name, or (the client contract) run on every adapter themselves. `--client-dependent-only` leaves
 * them out, so that `npm test`'s second pass over the suite runs each of them once in all.
 */
const CLIENT_INDEPENDENT_TESTS: readonly string[] = [
  'test/integration/broker/',
  'test/integration/demo.test.ts',
  'test/integration/package/',
  'test/integration/runtime/client-contract.test.ts',
  'test/integration/runtime/platformatic-producers.test.ts',
  'test/integration/runtime/platformatic-read-side-cases.test.ts',
  'test/integration/runtime/read-committed.test.ts',
  'test/integration/streams/cli-run.test.ts',
  'test/integration/streams/security.test.ts',
];

function suiteFiles(clientDependentOnly: boolean): string[] {
  const files = testFiles('test/integration');
  return clientDependentOnly ? files.filter((file) => !CLIENT_INDEPENDENT_TESTS.some((prefix) => file.startsWith(prefix))) : files;
}

/**
 * Runs test/integration against a real broker: the cluster in KAFKA_BROKERS when set, otherwise the project's
 * local broker, started here and stopped at the end only if this run started it; the same for the Schema Registry
 * (SCHEMA_REGISTRY_URL, or the project's local Apicurio Registry) and, when the run includes test/integration/cdc, for the Postgres + Debezium stack (`PG_URL` and
 * `CDC_CONNECT_URL` when set, otherwise `npm run cdc:start`'s). Never skips: without a reachable broker, registry
 * or CDC stack the run fails with the reason. `--client=<kafkajs|platformatic>` (or KSTREAMS_CLIENT) picks the
 * client adapter the applications under test run on; platformatic, the runtime's default, when unset.
 */
async function main(): Promise<number> {
  const log = (message: string) => console.error(`[integration] ${message}`);
  let brokers = process.env.KAFKA_BROKERS;
  let startedHere = false;
  if (brokers) {
    log(`using KAFKA_BROKERS=${brokers}`);
    await waitUntilServing(brokers.split(',')[0]!, 15_000).catch((error: Error) => {
      throw new Error(`KAFKA_BROKERS=${brokers} is not reachable: ${error.message}`);
    });
  } else {
    const { broker, reused } = await startBroker(log);
    brokers = broker.brokers;
    startedHere = !reused;
    log(`${reused ? 'reusing the running' : 'started the'} local Kafka ${broker.version} at ${brokers}`);
  }
  const clientArgument = process.argv.slice(2).find((arg) => arg.startsWith('--client='));
  const client = clientArgument?.slice('--client='.length) ?? process.env.KSTREAMS_CLIENT ?? 'platformatic';
  log(`client adapter: ${client}`);
  const clientDependentOnly = process.argv.includes('--client-dependent-only');
  const named = process.argv.slice(2).filter((arg) => arg !== clientArgument && arg !== '--client-dependent-only');
  const files = named.length ? named : suiteFiles(clientDependentOnly);
  let registry: Awaited<ReturnType<typeof registryInUse>> | undefined;
  let cdc: Awaited<ReturnType<typeof cdcForTests>> | undefined;
  try {
    registry = await registryInUse(log);
    if (needsCdc(files)) cdc = await cdcForTests(brokers, log);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
      { stdio: 'inherit', env: { ...process.env, ...cdc?.env, KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: registry.url, KSTREAMS_CLIENT: client, KAFKAJS_NO_PARTITIONER_WARNING: '1' } },
    );
    return result.status ?? 1;
  } finally {
    await cdc?.stop();
    await registry?.release();
    if (startedHere) {
      log(`stopping the broker this run started: ${await stopBroker()}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[integration] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
