import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedKeyIndex, byteString } from '../../../src/state/sorted-key-index.js';
import type { KeyPosition } from '../../../src/state/sorted-key-index.js';

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function randomKey(random: () => number): Buffer {
  const length = 2 + Math.floor(random() * 3);
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

function contents(index: SortedKeyIndex): string[] {
  const result: string[] = [];
  for (let position: KeyPosition = index.seek(null, false); index.keyAt(position) !== undefined; position = index.after(position)) {
    result.push(Buffer.from(index.keyAt(position)!, 'latin1').toString('hex'));
  }
  return result;
}

describe('SortedKeyIndex', () => {
  it('keeps keys in unsigned byte order through many inserts and removes (several chunks)', () => {
    const random = randomSource(7);
    const index = new SortedKeyIndex();
    const reference = new Map<string, Buffer>();
    for (let step = 0; step < 20_000; step++) {
      const key = randomKey(random);
      const id = key.toString('hex');
      if (random() < 0.3) {
        assert.equal(index.remove(byteString(key)), reference.delete(id));
      } else if (!reference.has(id)) {
        index.insert(byteString(key));
        reference.set(id, key);
      }
    }
    const expected = [...reference.values()].sort(Buffer.compare).map((key) => key.toString('hex'));
    assert.ok(expected.length > 2048, 'the test must span several chunks');
    assert.deepEqual(contents(index), expected);
  });

  it('byteString spells each byte as one latin1 character, for short and long keys', () => {
    const random = randomSource(11);
    for (let length = 0; length <= 40; length++) {
      const key = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      assert.equal(byteString(key), key.toString('latin1'));
    }
  });

  it('orders byte strings as unsigned bytes, shorter prefix first', () => {
    const index = new SortedKeyIndex();
    const keys = [[0x80], [0x7f, 0xff], [0x7f], [0xff, 0x00], [0x00]].map((bytes) => Buffer.from(bytes));
    for (const key of keys) index.insert(byteString(key));
    assert.deepEqual(contents(index), ['00', '7f', '7fff', '80', 'ff00']);
  });

  it('seeks strictly or not, and walks backwards from the end', () => {
    const index = new SortedKeyIndex();
    const key = (byte: number) => byteString(Buffer.from([byte]));
    for (const byte of [10, 30, 20]) index.insert(key(byte));
    const at = (position: KeyPosition | null) =>
      position === null ? null : (index.keyAt(position)?.charCodeAt(0) ?? 'end');
    assert.equal(at(index.seek(key(20), false)), 20);
    assert.equal(at(index.seek(key(20), true)), 30);
    assert.equal(at(index.seek(key(31), false)), 'end');
    assert.equal(at(index.before(index.end())), 30);
    assert.equal(at(index.before(index.seek(key(10), false))), null);
    assert.equal(index.remove(key(99)), false);
  });

  it('changes its version on every modification, so cursors know to seek again', () => {
    const index = new SortedKeyIndex();
    const initial = index.version;
    index.insert('a');
    assert.notEqual(index.version, initial);
    const afterInsert = index.version;
    index.remove('zz');
    assert.equal(index.version, afterInsert, 'removing a missing key changes nothing');
  });
});
