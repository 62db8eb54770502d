import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerdeError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { changeSerde } from '../../../src/topology/dsl/change-serde.js';

const serde = changeSerde(Serdes.String());

describe('changeSerde (Kafka Streams ChangedSerializer format)', () => {
  it('writes a new value alone with flag 1 and an old value alone with flag 0', () => {
    assert.deepEqual(serde.serialize('t', { newValue: 'ab', oldValue: null }), Buffer.from([0x61, 0x62, 1]));
    assert.deepEqual(serde.serialize('t', { newValue: null, oldValue: 'ab' }), Buffer.from([0x61, 0x62, 0]));
  });

  it('writes both values behind the zig-zag varint length of the new one, with flag 2', () => {
    assert.deepEqual(serde.serialize('t', { newValue: 'ab', oldValue: 'c' }), Buffer.from([0x04, 0x61, 0x62, 0x63, 2]));
    const long = 'x'.repeat(200);
    const bytes = serde.serialize('t', { newValue: long, oldValue: 'y' })!;
    assert.deepEqual([...bytes.subarray(0, 2)], [0x90, 0x03]);
    assert.deepEqual(serde.deserialize('t', bytes), { newValue: long, oldValue: 'y' });
  });

  it('round-trips every shape and reads the versioned forms that carry an is-latest byte', () => {
    for (const change of [
      { newValue: 'new', oldValue: null },
      { newValue: null, oldValue: 'old' },
      { newValue: 'new', oldValue: 'old' },
      { newValue: '', oldValue: '' },
    ]) {
      assert.deepEqual(serde.deserialize('t', serde.serialize('t', change)), change);
    }
    assert.deepEqual(serde.deserialize('t', Buffer.from([0x61, 1, 4])), { newValue: 'a', oldValue: null });
    assert.deepEqual(serde.deserialize('t', Buffer.from([0x02, 0x61, 0x62, 1, 5])), { newValue: 'a', oldValue: 'b' });
  });

  it('refuses a change without values and unknown flags', () => {
    assert.throws(() => serde.serialize('t', { newValue: null, oldValue: null }), SerdeError);
    assert.throws(() => serde.deserialize('t', Buffer.from([0x61, 9])), SerdeError);
  });
});
