import { runningBroker, startBroker } from '../../scripts/kafka/local-broker.js';

/** The broker a bench runs against; `pid` only when it is this checkout's local broker (for its CPU time). */
export interface Broker {
  readonly brokers: readonly string[];
  readonly version: string;
  readonly pid: number | undefined;
  readonly startedHere: boolean;
}

/** KAFKA_BROKERS when set, otherwise the project's local broker, started if needed. */
export async function connectBroker(log: (message: string) => void): Promise<Broker> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) {
    const local = await runningBroker();
    const isLocal = local?.brokers === fromEnv;
    return { brokers: fromEnv.split(','), version: isLocal ? local.version : 'unknown', pid: isLocal ? local.pid : undefined, startedHere: false };
  }
  const { broker, reused } = await startBroker(log);
  return { brokers: [broker.brokers], version: broker.version, pid: broker.pid, startedHere: !reused };
}
