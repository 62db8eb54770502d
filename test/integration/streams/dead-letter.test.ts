import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ITopicConfig, Kafka } from 'kafkajs';
import { DEAD_LETTER_HEADERS, KafkaStreams, Serdes, StreamsBuilder, type ProcessingGuarantee, type StreamsConfig } from '../../../src/index.js';
import { consumeUntil } from '../support/consume.js';
import { kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, produceLines, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

interface DeadLetterApp {
  readonly client: Kafka;
  readonly input: string;
  readonly output: string;
  readonly deadLetterTopic: string;
  readonly streams: KafkaStreams;
}

/**
 * Creates an input and an output topic (the output with `outputConfig`), starts `define(input, output)` with a
 * dead-letter topic under `config`, runs `body` once the client is RUNNING, then closes it and deletes everything.
 */
async function withDeadLetterApp(
  prefix: string,
  options: { define: (builder: StreamsBuilder, input: string, output: string) => void; config: Partial<StreamsConfig>; outputConfig?: ITopicConfig['configEntries'] },
  body: (app: DeadLetterApp) => Promise<void>,
): Promise<void> {
  const client = kafka();
  const [input, output, deadLetterTopic, applicationId] = ['input', 'output', 'dead', 'app'].map((part) => uniqueName(`${prefix}-${part}`)) as [string, string, string, string];
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1, ...(options.outputConfig === undefined ? {} : { configEntries: options.outputConfig }) }],
    waitForLeaders: true,
  });
  const builder = new StreamsBuilder();
  options.define(builder, input, output);
  const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { ...options.config, deadLetterTopic }));
  try {
    await streams.start();
    await awaitState(streams, 'RUNNING');
    await body({ client, input, output, deadLetterTopic, streams });
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output, deadLetterTopic] });
    removeDir(stateDir);
  }
}

test('poison pills go to the dead-letter topic with error headers while the other records flow on', () =>
  withDeadLetterApp(
    'dlt',
    {
      define: (builder, input, output) =>
        builder
          .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
          .mapValues((n) => {
            if (n === 13) throw new Error('unlucky number');
            return n * 2;
          })
          .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() }),
      config: { processingGuarantee: 'exactly_once' },
    },
    async ({ client, input, output, deadLetterTopic, streams }) => {
      const int = (n: number) => Serdes.Integer().serialize(input, n);
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
    },
  ));

/**
 * The output topic takes at most 2 kB per record; one input record is blown up past that on its way there. The
 * broker refuses that output (MESSAGE_TOO_LARGE), and with a dead-letter topic set its input record is written
 * there with its coordinates, while the records around it flow on.
 */
function refusedOutputIsDeadLettered(processingGuarantee: ProcessingGuarantee): Promise<void> {
  return withDeadLetterApp(
    'dlt-large',
    {
      define: (builder, input, output) =>
        builder
          .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
          .mapValues((value) => (value === 'inflate' ? 'x'.repeat(10_000) : value.toUpperCase()))
          .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() }),
      config: { processingGuarantee, commitIntervalMs: 100 },
      outputConfig: [{ name: 'max.message.bytes', value: '2048' }],
    },
    async ({ client, input, output, deadLetterTopic, streams }) => {
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
    },
  );
}

test('exactly-once: an output record the broker refuses sends its input record to the dead-letter topic, with its coordinates', () =>
  refusedOutputIsDeadLettered('exactly_once'));

test('at-least-once: an output record the broker refuses sends its input record to the dead-letter topic, with its coordinates', () =>
  refusedOutputIsDeadLettered('at_least_once'));
