import { stopBroker } from './kafka/local-broker.js';
import { CleanupStack } from './demo/cleanup-stack.js';
import { connectDemoBroker } from './demo/demo-broker.js';
import { runClickStreamDemo, type DemoSummary } from './demo/run-click-stream-demo.js';
import { messageOf, withTimeout } from './demo/with-timeout.js';

/**
 * `npm run demo`: the click-stream example on a real Kafka broker under exactly-once, with live and final results.
 * Uses KAFKA_BROKERS when set, otherwise the project's local broker (started here, and then stopped at the end, if
 * it did not run yet). Ends with one `DEMO OK …` line and exit 0, or one `demo failed: …` line and exit 1.
 */
const BROKER_TIMEOUT_MS = 180_000;
const DEMO_TIMEOUT_MS = 60_000;
const CLEANUP_TIMEOUT_MS = 30_000;

/** Ctrl-C still cleans up: it fails the run like any other error. */
function interrupted(): Promise<never> {
  return new Promise((_resolve, reject) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => reject(new Error(`interrupted by ${signal}`)));
  });
}

async function main(): Promise<DemoSummary> {
  const startedAtMs = Date.now();
  const log = (message: string) => console.error(`[kafka] ${message}`);
  const cleanup = new CleanupStack();
  const stop = interrupted();
  stop.catch(() => undefined);
  let failure: unknown;
  let summary: DemoSummary | undefined;
  try {
    const broker = await Promise.race([withTimeout('starting the local Kafka broker', BROKER_TIMEOUT_MS, connectDemoBroker(log)), stop]);
    if (broker.origin === 'started') cleanup.push('stopping the local broker this demo started', () => stopBroker());
    console.log(`Kafka at ${broker.brokers} (${broker.origin === 'env' ? 'KAFKA_BROKERS' : `local broker, ${broker.origin}`})`);
    summary = await Promise.race([withTimeout('the demo', DEMO_TIMEOUT_MS, runClickStreamDemo(broker.brokers, cleanup)), stop]);
  } catch (error) {
    failure = error;
  }
  const cleanupFailures = await withTimeout('cleaning up', CLEANUP_TIMEOUT_MS, cleanup.run()).catch((error: unknown) => [messageOf(error)]);
  if (failure !== undefined || summary === undefined) {
    const also = cleanupFailures.length > 0 ? ` (cleanup: ${cleanupFailures.join('; ')})` : '';
    throw new Error(`${messageOf(failure)}${also}`);
  }
  if (cleanupFailures.length > 0) throw new Error(cleanupFailures.join('; '));
  console.log(`finished in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s`);
  return summary;
}

main().then(
  (s) => {
    console.log(`DEMO OK app=${s.applicationId} sent=${s.sent} users=${s.users} clicks=${s.clicks} rejected=${s.rejected} pages=${s.pages}`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`demo failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
