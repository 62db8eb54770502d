import { Kafka, logLevel } from 'kafkajs';

/**
 * Asks the broker for its metadata until it answers: an open port alone does not mean it serves yet.
 */
export async function waitUntilServing(brokers: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({ clientId: 'kstreams-broker-check', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the broker at ${brokers} did not serve within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * The first group join and the first transaction create __consumer_offsets and __transaction_state, which takes
 * seconds on a fresh broker. Doing it once here keeps the first real test from racing that creation. While the
 * coordinators are still coming up, an attempt can fail ("the group coordinator is not available"): it is tried
 * again until `timeoutMs` has passed.
 */
export async function warmUp(brokers: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await warmUpOnce(brokers);
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function warmUpOnce(brokers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'kstreams-warm-up', brokers: [brokers], logLevel: logLevel.NOTHING });
  const topic = '__kstreams-warm-up';
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: 'kstreams-warm-up', maxInFlightRequests: 1, idempotent: true });
  const consumer = kafka.consumer({ groupId: 'kstreams-warm-up' });
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'warm-up' }] });
    await txn.sendOffsets({ consumerGroupId: 'kstreams-warm-up', topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] });
    await txn.commit();
    await producer.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.deleteGroups(['kstreams-warm-up']).catch(() => undefined);
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]).catch(() => undefined);
    await admin.disconnect();
  }
}
