import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerdeError } from '../../../src/core/errors.js';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';

const TOPIC = 'topic';

function hex(serde: Serde<unknown>, value: unknown): string | null {
  return serde.serialize(TOPIC, value)?.toString('hex') ?? null;
}

function fromHex<T>(serde: Serde<T>, bytes: string): T | null {
  return serde.deserialize(TOPIC, Buffer.from(bytes, 'hex'));
}

// Byte vectors are what Java's org.apache.kafka.common.serialization serializers produce for the same values.
describe('Serdes (byte-compatible with Java)', () => {
  it('Integer is 4 bytes big-endian two-complement', () => {
    assert.equal(hex(Serdes.Integer(), 1), '00000001');
    assert.equal(hex(Serdes.Integer(), -1), 'ffffffff');
    assert.equal(hex(Serdes.Integer(), 256), '00000100');
    assert.equal(hex(Serdes.Integer(), 2147483647), '7fffffff');
    assert.equal(hex(Serdes.Integer(), -2147483648), '80000000');
    assert.equal(fromHex(Serdes.Integer(), 'ffffff85'), -123);
  });

  it('Long is 8 bytes big-endian two-complement', () => {
    assert.equal(hex(Serdes.Long(), 1), '0000000000000001');
    assert.equal(hex(Serdes.Long(), -1), 'ffffffffffffffff');
    assert.equal(hex(Serdes.Long(), 1_700_000_000_000), '0000018bcfe56800');
    assert.equal(hex(Serdes.Long(), Number.MAX_SAFE_INTEGER), '001fffffffffffff');
    assert.equal(hex(Serdes.Long(), Number.MIN_SAFE_INTEGER), 'ffe0000000000001');
    assert.equal(fromHex(Serdes.Long(), 'fffffffffffffffe'), -2);
    assert.equal(fromHex(Serdes.Long(), '001fffffffffffff'), Number.MAX_SAFE_INTEGER);
  });

  it('Long beyond 2^53 keeps only the precision of a number', () => {
    assert.equal(fromHex(Serdes.Long(), '7fffffffffffffff'), 2 ** 63);
    assert.equal(hex(Serdes.Long(), -(2 ** 63)), '8000000000000000');
  });

  it('BigLong is the same 8 bytes, exact over the whole range', () => {
    assert.equal(hex(Serdes.BigLong(), 1n), '0000000000000001');
    assert.equal(hex(Serdes.BigLong(), 2n ** 63n - 1n), '7fffffffffffffff');
    assert.equal(fromHex(Serdes.BigLong(), '7fffffffffffffff'), 2n ** 63n - 1n);
    assert.equal(fromHex(Serdes.BigLong(), '8000000000000000'), -(2n ** 63n));
    assert.throws(() => hex(Serdes.BigLong(), 2n ** 63n), SerdeError);
  });

  it('Double is an 8-byte big-endian IEEE-754 double', () => {
    assert.equal(hex(Serdes.Double(), 1.5), '3ff8000000000000');
    assert.equal(hex(Serdes.Double(), -0), '8000000000000000');
    assert.equal(hex(Serdes.Double(), Number.NaN), '7ff8000000000000');
    assert.equal(fromHex(Serdes.Double(), 'c000000000000000'), -2);
  });

  it('String is UTF-8', () => {
    assert.equal(hex(Serdes.String(), 'héllo'), '68c3a96c6c6f');
    assert.equal(hex(Serdes.String(), '€'), 'e282ac');
    assert.equal(hex(Serdes.String(), ''), '');
    assert.equal(fromHex(Serdes.String(), 'f09f9880'), '😀');
  });

  it('String writes the same bytes as the native UTF-8 encoder for short and long, ASCII and other text', () => {
    const ascii = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const texts = ['a', '\u007f', '\u0080', 'ab\u00ffc', '\ud800', 'x\udc00y', '😀'];
    for (let length = 0; length <= ascii.length; length++) texts.push(ascii.slice(0, length), `${ascii.slice(0, length)}é`);
    for (const text of texts) assert.equal(hex(Serdes.String(), text), Buffer.from(text, 'utf8').toString('hex'), JSON.stringify(text));
  });

  it('String reads what the native UTF-8 decoder reads, invalid sequences included', () => {
    const samples = ['', '41', '7f', '80', 'c3a9', 'e282', 'ff', '61626364', '6162636465', '616263646566676869707172', '61626364656667686970717273', '6162c3a9646566676869'];
    for (let length = 0; length <= 20; length++) samples.push(Buffer.from('abcdefghijklmnopqrst'.slice(0, length)).toString('hex'));
    for (const sample of samples) assert.equal(fromHex(Serdes.String(), sample), Buffer.from(sample, 'hex').toString('utf8'), sample);
  });

  it('ByteArray passes bytes through', () => {
    const bytes = Buffer.from([0, 255, 7]);
    assert.equal(Serdes.ByteArray().serialize(TOPIC, bytes), bytes);
    assert.equal(Serdes.ByteArray().deserialize(TOPIC, bytes), bytes);
  });

  it('Json is UTF-8 JSON text', () => {
    const serde = Serdes.Json<{ user: string; clicks: number }>();
    assert.equal(serde.serialize(TOPIC, { user: 'ü', clicks: 2 })?.toString('utf8'), '{"user":"ü","clicks":2}');
    assert.deepEqual(serde.deserialize(TOPIC, Buffer.from('{"user":"a","clicks":1}')), { user: 'a', clicks: 1 });
  });

  it('maps null to null in both directions', () => {
    const serdes: Array<Serde<unknown>> = [
      Serdes.String(),
      Serdes.Integer(),
      Serdes.Long(),
      Serdes.BigLong(),
      Serdes.Double(),
      Serdes.ByteArray(),
      Serdes.Json(),
    ];
    for (const serde of serdes) {
      assert.equal(serde.serialize(TOPIC, null), null);
      assert.equal(serde.deserialize(TOPIC, null), null);
    }
  });

  it('round-trips values', () => {
    for (const value of [0, 1, -1, 42, -2147483648, 2147483647]) assert.equal(fromHex(Serdes.Integer(), hex(Serdes.Integer(), value)!), value);
    for (const value of [0, 1, -1, 2 ** 40, -(2 ** 40) - 7]) assert.equal(fromHex(Serdes.Long(), hex(Serdes.Long(), value)!), value);
    for (const value of [0.1, -1e300, Infinity]) assert.equal(fromHex(Serdes.Double(), hex(Serdes.Double(), value)!), value);
  });

  it('rejects bytes of the wrong length with a SerdeError naming the sizes', () => {
    assert.throws(() => fromHex(Serdes.Integer(), '000001'), { name: 'SerdeError', code: 'SERDE_FAILED', message: /Integer.*4 bytes, got 3/ });
    assert.throws(() => fromHex(Serdes.Long(), '00000000000001'), { name: 'SerdeError', message: /Long.*8 bytes, got 7/ });
    assert.throws(() => fromHex(Serdes.BigLong(), '00'), { name: 'SerdeError', message: /8 bytes, got 1/ });
    assert.throws(() => fromHex(Serdes.Double(), '000000000000000000'), { name: 'SerdeError', message: /Double.*8 bytes, got 9/ });
  });

  it('rejects values the Java type cannot hold', () => {
    assert.throws(() => hex(Serdes.Integer(), 2 ** 31), SerdeError);
    assert.throws(() => hex(Serdes.Integer(), 1.5), SerdeError);
    assert.throws(() => hex(Serdes.Long(), 0.5), SerdeError);
    assert.throws(() => hex(Serdes.Long(), 2 ** 63), SerdeError);
    assert.throws(() => hex(Serdes.String(), 12), SerdeError);
  });

  it('rejects text that is not JSON', () => {
    assert.throws(() => Serdes.Json().deserialize(TOPIC, Buffer.from('{oops')), { name: 'SerdeError', message: /not valid JSON/ });
    assert.throws(() => Serdes.Json().serialize(TOPIC, (() => 1) as never), SerdeError);
  });
});
