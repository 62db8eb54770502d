import { startBroker } from '../kafka/local-broker.js';
import { waitUntilServing } from '../kafka/warm-up.js';

export interface DemoBroker {
  readonly brokers: string;
  /** `env`: KAFKA_BROKERS named it; `reused`: the project's broker already ran; `started`: this run started it. */
  readonly origin: 'env' | 'reused' | 'started';
}

/** The cluster in KAFKA_BROKERS when set, else the project's local broker, started if it does not run yet. */
export async function connectDemoBroker(log: (message: string) => void): Promise<DemoBroker> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) {
    await waitUntilServing(fromEnv.split(',')[0]!.trim(), 15_000).catch((error: Error) => {
      throw new Error(`KAFKA_BROKERS=${fromEnv} is not reachable: ${error.message}`);
    });
    return { brokers: fromEnv, origin: 'env' };
  }
  const { broker, reused } = await startBroker(log);
  return { brokers: broker.brokers, origin: reused ? 'reused' : 'started' };
}
