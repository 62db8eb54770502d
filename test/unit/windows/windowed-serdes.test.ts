import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerdeError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';

describe('WindowedSerdes', () => {
  it('writes time-windowed keys as key bytes + 8-byte big-endian start, as Kafka Streams does', () => {
    const serde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 300_000);
    const bytes = serde.serialize('t', { key: 'ab', window: { start: 1_700_000_100_000, end: 1_700_000_400_000 } });
    assert.equal(bytes?.toString('hex'), '6162' + '0000018bcfe6eea0');
    assert.deepEqual(serde.deserialize('t', bytes), {
      key: 'ab',
      window: { start: 1_700_000_100_000, end: 1_700_000_400_000 },
    });
  });

  it('derives the end of a read time window from the window size given to the serde', () => {
    const serde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.Integer(), 10);
    const bytes = Buffer.from('00000007' + '0000000000000014', 'hex');
    assert.deepEqual(serde.deserialize('t', bytes), { key: 7, window: { start: 20, end: 30 } });
  });

  it('writes session-windowed keys as key bytes + 8-byte end + 8-byte start', () => {
    const serde = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());
    const windowed = { key: 'k', window: { start: 5, end: 260 } };
    const bytes = serde.serialize('t', windowed);
    assert.equal(bytes?.toString('hex'), '6b' + '0000000000000104' + '0000000000000005');
    assert.deepEqual(serde.deserialize('t', bytes), windowed);
  });

  it('maps null to null and refuses keys too short to hold a window', () => {
    const time = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 10);
    const session = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());
    assert.equal(time.serialize('t', null), null);
    assert.equal(session.deserialize('t', null), null);
    assert.throws(() => time.deserialize('t', Buffer.alloc(7)), SerdeError);
    assert.throws(() => session.deserialize('t', Buffer.alloc(15)), SerdeError);
  });
});
