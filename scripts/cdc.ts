import { cdcLayout, DEMO } from './cdc/cdc-layout.js';
import { runningCdc, startCdc, stopCdc, type RunningCdc } from './cdc/local-cdc.js';

const USAGE = 'use start, stop or status';

function printUrls(cdc: RunningCdc): void {
  console.log(`PG_URL=${cdc.pgUrl}`);
  console.log(`CDC_CONNECT_URL=${cdc.connectUrl}`);
  console.log(`CDC_TOPIC_PREFIX=${cdc.topicPrefix}`);
}

/**
 * `npm run cdc:start | cdc:stop | cdc:status` — change data capture for development and tests: a PostgreSQL
 * cluster of this checkout (database `demo`) and Kafka Connect standalone with Debezium's Postgres connector,
 * writing every table's changes to `cdc.<schema>.<table>` on the project's broker.
 */
async function main(command: string | undefined): Promise<void> {
  const log = (message: string) => console.error(`[cdc] ${message}`);
  switch (command) {
    case 'start': {
      const { cdc, reused } = await startCdc(log);
      if (reused) log(`the CDC stack is already running (Connect pid ${cdc.connectPid}); reusing it`);
      else log(`Postgres + Debezium streaming in ${((Date.now() - cdc.startedAtMs) / 1000).toFixed(1)} s (Connect pid ${cdc.connectPid}, slot ${DEMO.slot})`);
      printUrls(cdc);
      return;
    }
    case 'stop': {
      const result = await stopCdc();
      log(result === 'not-running' ? 'no CDC stack of this checkout is running' : `CDC stack ${result}`);
      return;
    }
    case 'status': {
      const cdc = await runningCdc();
      if (!cdc) {
        console.log('not running');
        return;
      }
      console.log(`running: Connect pid ${cdc.connectPid}, state in ${cdcLayout().stateDir}`);
      printUrls(cdc);
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ''}": ${USAGE}`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`[cdc] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
