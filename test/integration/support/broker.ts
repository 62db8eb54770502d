import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';

/** The broker under test; integration tests never fall back to a mock or skip. */
export function brokers(): string[] {
  const value = process.env.KAFKA_BROKERS;
  if (!value) {
    throw new Error('KAFKA_BROKERS is not set: run integration tests with `npm run test:integration`, which starts a local broker');
  }
  return value.split(',');
}

/** Unique per run, so tests never see each other's topics, groups or transactional ids. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Consumer settings for tests: kafkajs heartbeats every 3 s and long-polls 5 s by default, which makes every join,
 * rebalance and disconnect wait seconds for nothing on a local broker.
 */
export const FAST_CONSUMER = { heartbeatInterval: 500, sessionTimeout: 10_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 250 } as const;

export function kafka(clientId = uniqueName('kstreams-it')): Kafka {
  return new Kafka({ clientId, brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** Creates topics for one test and deletes them when the returned cleanup runs. */
export async function withTopics<T>(topics: ITopicConfig[], body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics, waitForLeaders: true });
    return await body(admin);
  } finally {
    await admin.deleteTopics({ topics: topics.map((t) => t.topic) }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Polls `condition` until it holds; fails with `what` (read at the timeout, when it is a function) after `timeoutMs`. */
export async function eventually(what: string | (() => string), condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${typeof what === 'string' ? what : what()}`);
}
