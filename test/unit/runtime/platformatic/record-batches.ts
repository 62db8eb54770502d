import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka';

export type Kind = 'data' | 'abort' | 'commit' | 'plain';

/** One batch of one record: producer `producerId` at `offset`; `plain` is a non-transactional (idempotent) write. */
export function batch(offset: number, producerId: number, kind: Kind, records = 1, attributes = 0): RecordsBatch {
  const control = kind === 'abort' || kind === 'commit';
  const key = control ? Buffer.from([0, 0, 0, kind === 'abort' ? 0 : 1]) : Buffer.from(`k${offset}`);
  return {
    firstOffset: BigInt(offset),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: attributes | (kind === 'plain' ? 0 : IS_TRANSACTIONAL) | (control ? IS_CONTROL : 0),
    lastOffsetDelta: records - 1,
    firstTimestamp: 1_000n,
    maxTimestamp: 1_000n,
    producerId: BigInt(producerId),
    producerEpoch: 0,
    firstSequence: 0,
    records: Array.from({ length: records }, (_, i) => ({ length: 0, attributes: 0, timestampDelta: BigInt(i), offsetDelta: i, key, value: control ? Buffer.alloc(6) : Buffer.from(`v${offset + i}`), headers: [] })),
  };
}

