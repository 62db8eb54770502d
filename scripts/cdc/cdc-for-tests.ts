import { startCdc, stopCdc } from './local-cdc.js';

type Log = (message: string) => void;

/** Whether the test files to run include CDC tests. */
export function needsCdc(files: readonly string[]): boolean {
  return files.some((file) => file.includes('test/integration/cdc/'));
}

/**
 * The Postgres + Debezium stack for the CDC tests, found as the broker is: `PG_URL` and `CDC_CONNECT_URL` when
 * both are set (an existing stack, e.g. Docker Compose's), otherwise this checkout's stack, started here when it
 * does not run yet; `stop` then stops it again, and only then.
 */
export async function cdcForTests(brokers: string, log: Log): Promise<{ env: { PG_URL: string; CDC_CONNECT_URL: string }; stop: () => Promise<void> }> {
  const { PG_URL: pgUrl, CDC_CONNECT_URL: connectUrl } = process.env;
  if (pgUrl && connectUrl) {
    log(`using PG_URL=${pgUrl} and CDC_CONNECT_URL=${connectUrl}`);
    return { env: { PG_URL: pgUrl, CDC_CONNECT_URL: connectUrl }, stop: async () => undefined };
  }
  const { cdc, reused } = await startCdc(log, { brokers });
  if (cdc.brokers !== brokers) throw new Error(`the running CDC stack writes to ${cdc.brokers}, not to ${brokers}: run \`npm run cdc:stop\` first`);
  log(`${reused ? 'reusing the running' : 'started the'} CDC stack: PG_URL=${cdc.pgUrl} CDC_CONNECT_URL=${cdc.connectUrl}`);
  return {
    env: { PG_URL: cdc.pgUrl, CDC_CONNECT_URL: cdc.connectUrl },
    stop: async () => {
      if (!reused) log(`stopping the CDC stack this run started: ${await stopCdc()}`);
    },
  };
}
