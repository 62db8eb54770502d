import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { combinedKeyBytes, foreignKeyPrefix, primaryKeyBytesOf } from '../../../src/topology/joins/fk/combined-key.js';
import { murmur3Hash128 } from '../../../src/topology/joins/fk/murmur3.js';
import { subscriptionResponseWrapperSerde } from '../../../src/topology/joins/fk/subscription-response-wrapper.js';
import { subscriptionWrapperSerde, type SubscriptionWrapper } from '../../../src/topology/joins/fk/subscription-wrapper.js';

/** The hash as Kafka's two signed longs, the way its tests write them. */
function longs(hash: Buffer): [bigint, bigint] {
  return [hash.readBigInt64BE(0), hash.readBigInt64BE(8)];
}

const HASH = murmur3Hash128(Buffer.from([0xff, 0xaa, 0x00, 0x19]));

describe('Murmur3 x64 128-bit matches Kafka Streams', () => {
  it("gives Kafka's Murmur3Test.testMurmur3_128 vectors (seed 123)", () => {
    const cases: [Buffer, [bigint, bigint]][] = [
      [Buffer.from('21'), [5857341059704281894n, -5288187638297930763n]],
      [Buffer.from('foobar'), [-351361463397418609n, 8959716011862540668n]],
      [Buffer.from('a-little-bit-long-string'), [8836256500583638442n, -198172363548498523n]],
      [Buffer.from('a-little-bit-longer-string'), [1838346159335108511n, 8794688210320490705n]],
      [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), [-4024021876037397259n, -1482317706335141238n]],
      [Buffer.from('abc'), [1489494923063836066n, -5440978547625122829n]],
    ];
    for (const [data, expected] of cases) assert.deepEqual(longs(murmur3Hash128(data, 123)), expected, data.toString());
  });

  it('gives what Kafka Streams 4.1.2 computes with its default seed 104729, for every tail length class', () => {
    const cases: [string, [bigint, bigint]][] = [
      ['', [-7122613646888064702n, -8341524471658347240n]],
      ['a', [3702349557448790408n, -1601067453332442517n]],
      ['x/l1', [-4111296603012219656n, 8773778916940848806n]],
      ['0123456789abcdef', [1904622552327088487n, -2893518741649893711n]],
      ['0123456789abcdefX', [-4386964927624285091n, -3456386614579349972n]],
      ['a-little-bit-longer-string-with-more-than-32-bytes!', [2661956030241645361n, 1675446868887525488n]],
    ];
    for (const [text, expected] of cases) assert.deepEqual(longs(murmur3Hash128(Buffer.from(text))), expected, text);
    assert.deepEqual(longs(HASH), [-3955359579171119721n, -1701350710745563829n]);
  });
});

/** Bytes printed by Kafka Streams 4.1.2's serdes (`SubscriptionWrapperSerde`, `SubscriptionResponseWrapperSerde`). */
describe('foreign-key join wire formats are byte-identical with Kafka Streams 4.1.2', () => {
  const subscriptions = subscriptionWrapperSerde(Serdes.String());
  const cases: [string, SubscriptionWrapper<string>][] = [
    ['0101c91bbd6b4c911d97e863968aefa6fd4b6b310000000a', { version: 1, hash: HASH, instruction: 'deleteAndPropagate', primaryKey: 'k1', primaryPartition: 10 }],
    ['81036b657900000003', { version: 1, hash: null, instruction: 'propagateOnlyIfForeignValue', primaryKey: 'key', primaryPartition: 3 }],
    ['0002c91bbd6b4c911d97e863968aefa6fd4b6b', { version: 0, hash: HASH, instruction: 'propagateNullIfNoForeignValue', primaryKey: 'k', primaryPartition: null }],
  ];

  it('writes and reads subscriptions (versions 1 and 0, with and without a hash)', () => {
    for (const [hex, wrapper] of cases) {
      assert.equal(subscriptions.serialize('t', wrapper)!.toString('hex'), hex);
      assert.deepEqual(subscriptions.deserialize('t', Buffer.from(hex, 'hex')), wrapper);
    }
  });

  it('reads the instruction byte of every instruction', () => {
    for (const [byte, instruction] of ['deleteNoPropagate', 'deleteAndPropagate', 'propagateNullIfNoForeignValue', 'propagateOnlyIfForeignValue'].entries()) {
      assert.equal(subscriptions.deserialize('t', Buffer.from([0x81, byte, 0x6b, 0, 0, 0, 0]))!.instruction, instruction);
    }
  });

  it('refuses a newer version and an unknown instruction, saying which', () => {
    assert.throws(() => subscriptions.deserialize('t', Buffer.from('82036b00000000', 'hex')), /version 2 is not supported/);
    assert.throws(() => subscriptions.deserialize('t', Buffer.from('81096b00000000', 'hex')), /instruction byte 9/);
  });

  it('serializes the primary key under the pseudo topic <topic>-pk, as Kafka Streams does', () => {
    const topics: string[] = [];
    const spy = { serialize: (topic: string, key: string | null) => (topics.push(topic), Serdes.String().serialize(topic, key)), deserialize: Serdes.String().deserialize };
    subscriptionWrapperSerde(spy).serialize('app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic', cases[0]![1]);
    assert.deepEqual(topics, ['app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic-pk']);
  });

  it('writes and reads responses; the partition stays off the wire', () => {
    const responses = subscriptionResponseWrapperSerde(Serdes.String());
    const table: [string, Buffer | null, string | null][] = [
      ['00c91bbd6b4c911d97e863968aefa6fd4b76616c', HASH, 'val'],
      ['00c91bbd6b4c911d97e863968aefa6fd4b', HASH, null],
      ['8076616c', null, 'val'],
      ['80', null, null],
    ];
    for (const [hex, hash, foreignValue] of table) {
      assert.equal(responses.serialize('t', { version: 0, hash, foreignValue, primaryPartition: 1 })!.toString('hex'), hex);
      assert.deepEqual(responses.deserialize('t', Buffer.from(hex, 'hex')), { version: 0, hash, foreignValue, primaryPartition: null });
    }
    assert.throws(() => responses.deserialize('t', Buffer.from('81', 'hex')), /version 1 is not supported/);
  });

  it('lays out combined keys as [foreign key length][foreign key][primary key]', () => {
    const key = combinedKeyBytes(Buffer.from('fk'), Buffer.from('pk1'));
    assert.equal(key.toString('hex'), '00000002666b706b31');
    assert.ok(key.subarray(0, 6).equals(foreignKeyPrefix(Buffer.from('fk'))));
    assert.equal(primaryKeyBytesOf(key).toString(), 'pk1');
    assert.throws(() => primaryKeyBytesOf(Buffer.from('0000000966', 'hex')), /no valid foreign key length/);
  });
});
