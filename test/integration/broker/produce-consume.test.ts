import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kafka, uniqueName, withTopics } from '../support/broker.js';
import { consumeUntil } from '../support/consume.js';

test('produces keyed records with headers and consumes every one of them, in order per partition', async () => {
  const topic = uniqueName('smoke-produce');
  const client = kafka();
  await withTopics([{ topic, numPartitions: 3 }], async () => {
    const producer = client.producer();
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `key-${i % 5}`, value: `value-${i}`, headers: { seq: String(i) } }));
    await producer.send({ topic, messages: sent });
    await producer.disconnect();

    const received = await consumeUntil(topic, (m) => m.length >= sent.length);
    assert.equal(received.length, sent.length);
    assert.deepEqual(
      received.map((m) => m.value).sort(),
      sent.map((m) => m.value).sort(),
    );
    for (const key of new Set(sent.map((m) => m.key))) {
      const ofKey = received.filter((m) => m.key === key);
      assert.equal(new Set(ofKey.map((m) => m.partition)).size, 1, `all records of ${key} land in one partition`);
      assert.deepEqual(
        ofKey.map((m) => m.value),
        sent.filter((m) => m.key === key).map((m) => m.value),
        `records of ${key} keep their order`,
      );
      assert.deepEqual(ofKey.map((m) => m.headers.seq), sent.filter((m) => m.key === key).map((m) => m.headers.seq));
    }
  });
});
