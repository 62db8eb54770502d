import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerdeError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { ErrorHandlerContext } from '../../../src/processing/exception-handlers.js';
import { AvroSerdes } from '../../../src/serdes/avro/avro-serdes.js';
import { LocalSchemaRegistry } from '../../../src/serdes/registry/local-schema-registry.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { ORDER_KEY as KEY, ORDER_V1, ORDER_V2, REF, type Order } from '../../fixtures/avro-orders.js';

const order: Order = { id: 2n ** 62n + 7n, customer: 'ada', placedAt: new Date(1_700_000_000_123), amount: '-1234.50', ref: REF };

describe('Avro serdes: wire format and subjects', () => {
  it('frames the Avro binary with magic byte 0 and the registered id, under <topic>-value and <topic>-key', () => {
    const registry = new LocalSchemaRegistry();
    const keySerde = AvroSerdes.specific<{ id: bigint }>(KEY, { registry, isKey: true });
    const valueSerde = AvroSerdes.specific<Order>(ORDER_V1, { registry });
    const keyBytes = keySerde.serialize('orders', { id: 5n })!;
    const bytes = valueSerde.serialize('orders', order)!;
    assert.deepEqual(registry.subjects(), ['orders-key', 'orders-value']);
    assert.equal(keyBytes[0], 0);
    assert.equal(keyBytes.readInt32BE(1), registry.latest('orders-key').id);
    assert.deepEqual([...keyBytes.subarray(5)], [10]); // zig-zag varint of 5
    assert.equal(bytes.readInt32BE(1), registry.latest('orders-value').id);
    assert.deepEqual({ ...valueSerde.deserialize('orders', bytes) }, order);
    assert.equal(valueSerde.serialize('orders', null), null);
    assert.equal(valueSerde.deserialize('orders', null), null);
  });

  it('names subjects by record name, or by topic and record name', () => {
    const registry = new LocalSchemaRegistry();
    AvroSerdes.specific(ORDER_V1, { registry, subjectNameStrategy: 'record' }).serialize('a', order);
    AvroSerdes.specific(ORDER_V1, { registry, subjectNameStrategy: 'topicRecord' }).serialize('b', order);
    assert.deepEqual(registry.subjects(), ['b-shop.Order', 'shop.Order']);
    assert.throws(() => AvroSerdes.specific('string', { registry, subjectNameStrategy: 'record' }).serialize('c', 'x'), /needs a named schema/);
  });

  it('without auto-registration looks the schema up, and fails naming the subject when it is not there', () => {
    const registry = new LocalSchemaRegistry();
    const lookingUp = AvroSerdes.specific<Order>(ORDER_V1, { registry, autoRegister: false });
    assert.throws(() => lookingUp.serialize('orders', order), (error: unknown) => error instanceof SerdeError && /subject orders-value/.test(error.message) && /topic orders/.test(error.message));
    const id = registry.register('orders-value', JSON.stringify(ORDER_V1), 'AVRO');
    assert.equal(AvroSerdes.specific<Order>(ORDER_V1, { registry, autoRegister: false }).serialize('orders', order)!.readInt32BE(1), id);
  });

  it('writes with a fixed schema id, or a generic serde with the subject latest schema', () => {
    const registry = new LocalSchemaRegistry();
    const v1 = registry.register('orders-value', JSON.stringify(ORDER_V1), 'AVRO');
    const v2 = registry.register('orders-value', JSON.stringify(ORDER_V2), 'AVRO');
    assert.equal(AvroSerdes.generic<Order>({ registry, schemaId: v1 }).serialize('orders', order)!.readInt32BE(1), v1);
    const latest = AvroSerdes.generic<Order>({ registry }).serialize('orders', { ...order, channel: 'shop' })!;
    assert.equal(latest.readInt32BE(1), v2);
    assert.equal((AvroSerdes.generic<Order>({ registry }).deserialize('orders', latest) as Order).channel, 'shop');
    assert.throws(() => AvroSerdes.generic({ registry, schemaId: v1, autoRegister: true }), /registers nothing/);
  });
});

describe('Avro serdes: reading', () => {
  it('reads old records into a newer reader schema (a field added with a default)', () => {
    const registry = new LocalSchemaRegistry();
    const written = AvroSerdes.specific<Order>(ORDER_V1, { registry }).serialize('orders', order)!;
    const read = AvroSerdes.specific<Order>(ORDER_V2, { registry }).deserialize('orders', written)!;
    assert.deepEqual({ ...read }, { ...order, channel: 'web' });
    // A generic serde reads the record as it was written: no `channel`.
    assert.equal('channel' in AvroSerdes.generic<Order>({ registry }).deserialize('orders', written)!, false);
  });

  it('keeps 64-bit longs exact and converts the logical types', () => {
    const registry = new LocalSchemaRegistry();
    const schema = { type: 'record', name: 'T', fields: [{ name: 'big', type: { type: 'long' } }, { name: 'us', type: { type: 'long', logicalType: 'timestamp-micros' } }, { name: 'f', type: { type: 'fixed', name: 'D', size: 3, logicalType: 'decimal', precision: 6, scale: 3 } }] };
    const serde = AvroSerdes.specific<{ big: bigint | number; us: bigint; f: string }>(schema, { registry });
    const value = { big: 9_223_372_036_854_775_807n, us: 1_700_000_000_123_456n, f: '-0.005' };
    assert.deepEqual({ ...serde.deserialize('t', serde.serialize('t', value)) }, value);
    assert.deepEqual({ ...serde.deserialize('t', serde.serialize('t', { ...value, big: 12, f: '12.3' })) }, { ...value, big: 12n, f: '12.300' });
  });

  it('refuses what does not fit the schema, naming the fields and never the values', () => {
    const serde = AvroSerdes.specific<Order>(ORDER_V1, { registry: new LocalSchemaRegistry() });
    assert.throws(
      () => serde.serialize('orders', { ...order, amount: '1.234', ref: 'secret-not-a-uuid' }),
      (error: unknown) => error instanceof SerdeError && /amount is not a valid logical:decimal; ref is not a valid logical:uuid/.test(error.message) && !error.message.includes('secret'),
    );
  });

  for (const [what, bytes, pattern, schemaId] of [
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 2]), /magic byte 1/, undefined],
    ['too few bytes', Buffer.from([0, 0]), /too short/, undefined],
    ['an unknown schema id', Buffer.from([0, 0, 0, 0x30, 0x39, 2]), /schema id 12345 is not in the registry/, 12345],
  ] as const) {
    it(`fails on ${what} with a SerdeError naming the topic`, () => {
      const serde = AvroSerdes.generic({ registry: new LocalSchemaRegistry() });
      assert.throws(
        () => serde.deserialize('orders', bytes),
        (error: unknown) => error instanceof SerdeError && pattern.test(error.message) && /Avro value of topic orders/.test(error.message) && error.schemaId === schemaId,
      );
    });
  }

  it('fails on a writer schema the reader schema cannot read, naming the schema id', () => {
    const registry = new LocalSchemaRegistry();
    const stringId = AvroSerdes.specific<{ id: string }>({ type: 'record', name: 'OrderKey', namespace: 'shop', fields: [{ name: 'id', type: 'string' }] }, { registry });
    const written = stringId.serialize('keys', { id: 'x' })!;
    const reader = AvroSerdes.specific(KEY, { registry });
    for (let i = 0; i < 2; i++) {
      assert.throws(() => reader.deserialize('keys', written), (error: unknown) => error instanceof SerdeError && /writer's schema \(id 1, shop.OrderKey\) cannot be read as the reader's schema shop.OrderKey/.test(error.message) && error.schemaId === 1);
    }
  });
});

describe('Avro serdes in a topology', () => {
  it('decode, transform and encode through the test driver; bad records go to the deserialization handler with coordinates', () => {
    const registry = new LocalSchemaRegistry();
    const orders = AvroSerdes.specific<Order>(ORDER_V2, { registry });
    const builder = new StreamsBuilder();
    builder
      .stream('orders', { keySerde: Serdes.String(), valueSerde: orders })
      .mapValues((o) => ({ ...o, customer: o.customer.toUpperCase() }))
      .to('shouted', { keySerde: Serdes.String(), valueSerde: orders });
    const skipped: ErrorHandlerContext[] = [];
    const driver = new TopologyTestDriver(builder.build(), {
      deserializationExceptionHandler: (context) => {
        skipped.push(context);
        return 'continue';
      },
    });
    try {
      const raw = driver.createInputTopic('orders', Serdes.String(), Serdes.ByteArray());
      raw.pipeInput('old', AvroSerdes.specific<Order>(ORDER_V1, { registry }).serialize('orders', order), 1);
      raw.pipeInput('bad-id', Buffer.from([0, 0, 0, 0, 99, 0]), 2);
      raw.pipeInput('new', orders.serialize('orders', { ...order, channel: 'app' }), 3);
      const output = driver.createOutputTopic('shouted', Serdes.String(), AvroSerdes.generic<Order>({ registry }));
      assert.deepEqual(output.readKeyValuesToList().map(({ key, value }) => [key, value?.customer, value?.channel]), [['old', 'ADA', 'web'], ['new', 'ADA', 'app']]);
      assert.deepEqual(skipped.map((c) => [c.topic, c.partition, c.offset, (c.error as SerdeError).schemaId]), [['orders', 0, 1, 99]]);
      assert.match((skipped[0]!.error as Error).message, /schema id 99 is not in the registry/);
    } finally {
      driver.close();
    }
  });
});

describe('Avro serdes with the fail handler', () => {
  it('stop the task with a SerdeError naming the topic, partition, offset and schema id', () => {
    const registry = new LocalSchemaRegistry();
    const builder = new StreamsBuilder();
    const orders = { keySerde: Serdes.String(), valueSerde: AvroSerdes.specific<Order>(ORDER_V1, { registry }) };
    builder.stream('orders', orders).to('copy', orders);
    const driver = new TopologyTestDriver(builder.build(), { deserializationExceptionHandler: 'fail' });
    try {
      const raw = driver.createInputTopic('orders', Serdes.String(), Serdes.ByteArray());
      raw.pipeInput('a', AvroSerdes.specific<Order>(ORDER_V1, { registry }).serialize('orders', order), 1);
      assert.throws(
        () => raw.pipeInput('b', Buffer.from([0, 0, 0, 0, 42, 0]), 2),
        (error: unknown) =>
          error instanceof SerdeError &&
          error.schemaId === 42 &&
          error.coordinates.topic === 'orders' &&
          error.coordinates.partition === 0 &&
          error.coordinates.offset === 1 &&
          /schema id 42 is not in the registry/.test(error.message),
      );
    } finally {
      driver.close();
    }
  });
});

describe('Avro decimal', () => {
  /** The unscaled value in big-endian two's complement, in the fewest bytes, computed bit by bit (the oracle). */
  function expectedBytes(unscaled: bigint): string {
    let length = 1;
    while (unscaled < -(1n << BigInt(8 * length - 1)) || unscaled >= 1n << BigInt(8 * length - 1)) length++;
    return BigInt.asUintN(8 * length, unscaled).toString(16).padStart(2 * length, '0');
  }

  it('encodes the unscaled value in the fewest two\'s-complement bytes and reads back the exact text, on both sides of 2^47 and 2^53', () => {
    const registry = new LocalSchemaRegistry();
    const serde = AvroSerdes.specific<string>({ type: 'bytes', logicalType: 'decimal', precision: 30, scale: 3 }, { registry });
    const texts = ['0.000', '0.001', '-0.001', '0.127', '0.128', '-0.128', '-0.129', '140737488355.327', '140737488355.328', '-140737488355.328', '-140737488355.329', '999999999999.999', '9007199254740.993', '-123456789012345678901234.567'];
    for (const text of texts) {
      const bytes = serde.serialize('d', text)!;
      const unscaled = BigInt(text.replace('.', ''));
      assert.equal(bytes.subarray(6).toString('hex'), expectedBytes(unscaled), text); // after the header and the length byte
      assert.equal(serde.deserialize('d', bytes), text);
    }
    assert.equal(serde.deserialize('d', serde.serialize('d', '7.5')), '7.500');
  });

  it('reads and refuses texts as the bigint path does: bytes (parsed by hand up to 15 digits) against fixed (always bigint)', () => {
    const registry = new LocalSchemaRegistry();
    const bytes = AvroSerdes.specific<string>({ type: 'bytes', logicalType: 'decimal', precision: 14, scale: 3 }, { registry });
    const fixed = AvroSerdes.specific<string>({ type: 'fixed', name: 'F', size: 16, logicalType: 'decimal', precision: 14, scale: 3 }, { registry });
    const outcome = (serde: typeof bytes, text: string) => {
      try {
        return serde.deserialize('d', serde.serialize('d', text));
      } catch {
        return 'refused';
      }
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let valid = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let i = Math.floor(random() * 18); i >= 0; i--) text += random() < 0.85 ? String(Math.floor(random() * 10)) : '.-+x'[Math.floor(random() * 4)];
      const expected = outcome(fixed, text);
      assert.equal(outcome(bytes, text), expected, text);
      if (expected !== 'refused') valid++;
    }
    assert.ok(valid > 5_000, `${valid} valid texts compared`);
  });
});
