import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEAD_LETTER_HEADERS, KafkaStreams, Serdes, StreamsBuilder, type ProcessingGuarantee } from '../../../src/index.js';
import { consumeUntil } from '../support/consume.js';
import { kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, produceLines, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

test('poison pills go to the dead-letter topic with error headers while the other records flow on', async () => {
  const client = kafka();
  const input = uniqueName('dlt-input');
  const output = uniqueName('dlt-output');
  const deadLetterTopic = uniqueName('dlt-dead');
  const applicationId = uniqueName('dlt-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });

  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .mapValues((n) => {
      if (n === 13) throw new Error('unlucky number');
      return n * 2;
    })
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() });
  const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', deadLetterTopic }));
  const int = (n: number) => Serdes.Integer().serialize(input, n);
  try {
    await streams.start();
    await awaitState(streams, 'RUNNING');
    const producer = client.producer();
    await producer.connect();
    await producer.send({
      topic: input,
      messages: [
        { key: 'a', value: int(1) },
        { key: 'pill', value: Buffer.from('not an int'), headers: { origin: 'test' } },
        { key: 'b', value: int(13) },
        { key: 'c', value: int(3) },
      ],
    });
    await producer.disconnect();

    const doubled = await consumeUntil(output, (m) => m.length >= 2);
    assert.deepEqual(doubled.map((m) => m.key), ['a', 'c']);
    const dead = await consumeUntil(deadLetterTopic, (m) => m.length >= 2);
    const [pill, unlucky] = dead;
    assert.equal(pill!.key, 'pill');
    assert.equal(pill!.value, 'not an int');
    assert.equal(pill!.headers.origin, 'test');
    assert.equal(pill!.headers[DEAD_LETTER_HEADERS.topic], input);
    assert.equal(pill!.headers[DEAD_LETTER_HEADERS.partition], '0');
    assert.equal(pill!.headers[DEAD_LETTER_HEADERS.offset], '1');
    assert.equal(pill!.headers[DEAD_LETTER_HEADERS.exception], 'SerdeError');
    assert.equal(unlucky!.key, 'b');
    assert.equal(unlucky!.headers[DEAD_LETTER_HEADERS.offset], '2');
    assert.match(unlucky!.headers[DEAD_LETTER_HEADERS.message]!, /unlucky number/);
    assert.equal(streams.state(), 'RUNNING');
    assert.equal(streams.metrics().totals.droppedRecords, 2);
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output, deadLetterTopic] });
    removeDir(stateDir);
  }
});

/**
 * The output topic takes at most 2 kB per record; one input record is blown up past that on its way there. The
 * broker refuses that output (MESSAGE_TOO_LARGE), and with a dead-letter topic set its input record is written
 * there with its coordinates, while the records around it flow on.
 */
async function refusedOutputIsDeadLettered(processingGuarantee: ProcessingGuarantee): Promise<void> {
  const client = kafka();
  const input = uniqueName('dlt-large-input');
  const output = uniqueName('dlt-large-output');
  const deadLetterTopic = uniqueName('dlt-large-dead');
  const applicationId = uniqueName('dlt-large-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] }],
    waitForLeaders: true,
  });
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .mapValues((value) => (value === 'inflate' ? 'x'.repeat(10_000) : value.toUpperCase()))
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { processingGuarantee, deadLetterTopic, commitIntervalMs: 100 }));
  try {
    await streams.start();
    await awaitState(streams, 'RUNNING');
    await produceLines(client, input, [
      { key: 'a', value: 'one' },
      { key: 'big', value: 'inflate' },
      { key: 'c', value: 'three' },
    ]);
    const passed = await consumeUntil(output, (m) => m.length >= 2);
    assert.deepEqual(passed.map((m) => `${m.key}=${m.value}`), ['a=ONE', 'c=THREE']);
    const [dead] = await consumeUntil(deadLetterTopic, (m) => m.length >= 1);
    assert.equal(dead!.key, 'big');
    assert.equal(dead!.value, 'inflate', 'the input record, as consumed');
    assert.equal(dead!.headers[DEAD_LETTER_HEADERS.topic], input);
    assert.equal(dead!.headers[DEAD_LETTER_HEADERS.partition], '0');
    assert.equal(dead!.headers[DEAD_LETTER_HEADERS.offset], '1');
    assert.equal(dead!.headers[DEAD_LETTER_HEADERS.exception], 'StreamsError');
    assert.match(dead!.headers[DEAD_LETTER_HEADERS.message]!, new RegExp(`refused an output record for topic ${output}: .*MESSAGE_TOO_LARGE`));
    assert.equal(streams.state(), 'RUNNING');
    assert.equal(streams.metrics().totals.productionErrors, 1);
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output, deadLetterTopic] });
    removeDir(stateDir);
  }
}

test('exactly-once: an output record the broker refuses sends its input record to the dead-letter topic, with its coordinates', () =>
  refusedOutputIsDeadLettered('exactly_once'));

test('at-least-once: an output record the broker refuses sends its input record to the dead-letter topic, with its coordinates', () =>
  refusedOutputIsDeadLettered('at_least_once'));
