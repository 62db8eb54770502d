import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroSerdes, DEAD_LETTER_HEADERS, KafkaStreams, SerdeError, StreamsBuilder } from '../../../src/index.js';
import { kafka, uniqueName } from '../support/broker.js';
import { plainRegistryClient, readRaw, registryUrl } from '../support/registry.js';
import { ORDER_KEY as KEY, ORDER_V1, ORDER_V2, REF, type Order } from '../../fixtures/avro-orders.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from '../streams/streams-support.js';

const BIG = 2n ** 60n + 3n; // past 2^53: a number would lose it

/** 1234.50 at scale 2 as the plain client writes a decimal (its avsc has no logical types: a timestamp is its number): the unscaled 123450 in big-endian two's complement. */
const AMOUNT_BYTES = Buffer.from([0x01, 0xe2, 0x3a]);

test('records of a plain Avro producer (v1, then v2) are read by kstreams into v2; its Avro output decodes with the registry schema; bad schema ids are dead-lettered', async () => {
  const client = kafka();
  const [input, output, deadLetterTopic, applicationId] = ['in', 'out', 'dead', 'app'].map((part) => uniqueName(`avro-${part}`)) as [string, string, string, string];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  const stateDir = tempStateDir();
  const registry = registryUrl();
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: AvroSerdes.specific<{ id: bigint }>(KEY, { registry, isKey: true }), valueSerde: AvroSerdes.specific<Order>(ORDER_V2, { registry }) })
    .mapValues((order) => ({ ...order, customer: order.customer.toUpperCase() }))
    .to(output, { keySerde: AvroSerdes.specific<{ id: bigint }>(KEY, { registry, isKey: true }), valueSerde: AvroSerdes.specific<Order>(ORDER_V2, { registry }) });
  const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { deadLetterTopic, processingGuarantee: 'exactly_once', commitIntervalMs: 100 }));
  const plain = plainRegistryClient();
  const producer = client.producer();
  try {
    // The plain producer registers v1, writes with it, then evolves the subject to v2 (BACKWARD: a defaulted field).
    const keyId = (await plain.register({ type: SchemaType.AVRO, schema: JSON.stringify(KEY) }, { subject: `${input}-key`, compatibility: COMPATIBILITY.BACKWARD })).id;
    const v1 = (await plain.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER_V1) }, { subject: `${input}-value`, compatibility: COMPATIBILITY.BACKWARD })).id;
    const v2 = (await plain.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER_V2) }, { subject: `${input}-value`, compatibility: COMPATIBILITY.BACKWARD })).id;
    assert.notEqual(v1, v2);
    const fields = { customer: 'ada', placedAt: 1_700_000_000_123, amount: AMOUNT_BYTES, ref: REF };
    await producer.connect();
    await producer.send({
      topic: input,
      messages: [
        { key: await plain.encode(keyId, { id: BIG }), value: await plain.encode(v1, { id: BIG, ...fields }) },
        { key: await plain.encode(keyId, { id: 2n }), value: Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2]) }, // an id no registry has
        { key: await plain.encode(keyId, { id: 3n }), value: Buffer.from('{"not":"avro"}') }, // magic byte '{'
        { key: await plain.encode(keyId, { id: 4n }), value: await plain.encode(v2, { id: 4n, ...fields, customer: 'bob', channel: 'app' }) },
      ],
    });
    await streams.start();
    await awaitState(streams, 'RUNNING');

    const written = await readRaw(output, 2);
    const decoded = await Promise.all(written.map(async (r) => [await plain.decode(r.key!), await plain.decode(r.value!)] as const));
    assert.deepEqual(decoded.map(([key, value]) => [key.id, value.id, value.customer, value.channel, value.placedAt, value.amount]), [
      [BIG, BIG, 'ADA', 'web', 1_700_000_000_123, AMOUNT_BYTES],
      [4n, 4n, 'BOB', 'app', 1_700_000_000_123, AMOUNT_BYTES],
    ]);
    // kstreams registered v2 under the output's value subject, and wrote with that id.
    assert.equal(written[0]!.value!.readInt32BE(1), await plain.getLatestSchemaId(`${output}-value`));
    assert.equal(written[0]!.key!.readInt32BE(1), await plain.getLatestSchemaId(`${output}-key`));

    const dead = await readRaw(deadLetterTopic, 2);
    const header = (record: (typeof dead)[number], name: string) => record.headers.find(([key]) => key === name)?.[1]?.toString();
    assert.deepEqual(dead.map((r) => [header(r, DEAD_LETTER_HEADERS.topic), header(r, DEAD_LETTER_HEADERS.partition), header(r, DEAD_LETTER_HEADERS.offset), header(r, DEAD_LETTER_HEADERS.exception)]), [
      [input, '0', '1', 'SerdeError'],
      [input, '0', '2', 'SerdeError'],
    ]);
    assert.match(header(dead[0]!, DEAD_LETTER_HEADERS.message)!, new RegExp(`Avro value of topic ${input}: schema id ${0x7ffffff0} is not in the registry`));
    assert.match(header(dead[1]!, DEAD_LETTER_HEADERS.message)!, /magic byte 123/);
    assert.equal(streams.metrics().totals.droppedRecords, 2);
  } finally {
    await streams.close();
    await producer.disconnect();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output, deadLetterTopic] });
    removeDir(stateDir);
  }
});

test('the registry refuses an incompatible schema, and the serde says so naming the subject; a fresh serde fetches schemas by id', async () => {
  const topic = uniqueName('avro-evolve');
  const registry = registryUrl();
  const v1 = AvroSerdes.specific<{ id: bigint }>(KEY, { registry });
  const bytes = v1.serialize(topic, { id: BIG })!;
  const incompatible = AvroSerdes.specific({ ...KEY, fields: [{ name: 'id', type: 'string' }] }, { registry: { url: registry } });
  assert.throws(
    () => incompatible.serialize(topic, { id: 'x' }),
    (error: unknown) => error instanceof SerdeError && error.message.includes(`register a schema under subject ${topic}-value`) && /HTTP 409/.test(error.message),
  );
  // A serde with a client of its own (an empty cache) reads the record by fetching its writer schema from the registry.
  const fresh = AvroSerdes.generic<{ id: bigint }>({ registry: { url: registry } });
  assert.deepEqual({ ...fresh.deserialize(topic, bytes) }, { id: BIG });
  assert.equal(bytes.readInt32BE(1), await plainRegistryClient().getLatestSchemaId(`${topic}-value`));
});
