import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteOrder } from '../../../src/state/write-order.js';

interface Item {
  readonly name: string;
  writeStamp: number;
}

function item(name: string): Item {
  return { name, writeStamp: -1 };
}

const names = (items: readonly Item[]): string[] => items.map((entry) => entry.name);

describe('WriteOrder', () => {
  it('orders items from least to most recently written; writing again moves an item to the end', () => {
    const order = new WriteOrder<Item>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    order.touch(a);
    order.touch(b);
    order.touch(c);
    order.touch(a);
    assert.deepEqual(names(order.snapshot()), ['b', 'c', 'a']);
    assert.equal(order.oldest(), b);
  });

  it('skips removed items and forgets everything on clear', () => {
    const order = new WriteOrder<Item>();
    const [a, b] = [item('a'), item('b')];
    order.touch(a);
    order.touch(b);
    order.remove(a);
    assert.equal(order.oldest(), b);
    order.remove(b);
    assert.equal(order.oldest(), undefined);
    order.touch(a);
    order.clear();
    assert.deepEqual(order.snapshot(), []);
    assert.equal(a.writeStamp, -1);
  });

  it('keeps the order through many rewrites of few items (stale slots are compacted away)', () => {
    const order = new WriteOrder<Item>();
    const items = ['a', 'b', 'c', 'd'].map(item);
    for (let round = 0; round < 1000; round++) for (const entry of items) order.touch(entry);
    order.touch(items[1]!);
    assert.deepEqual(names(order.snapshot()), ['a', 'c', 'd', 'b']);
    assert.equal(order.oldest(), items[0]);
  });
});
