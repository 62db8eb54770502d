import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka';

/** An entry of a read_committed fetch response: `producerId`'s transaction from `firstOffset` on was aborted. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** A control record's key is version (int16) then type (int16): type 0 is ABORT, 1 is COMMIT. */
function isAbortMarker(batch: RecordsBatch): boolean {
  if ((batch.attributes & IS_CONTROL) === 0) return false;
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0;
}

export function isControlBatch(batch: RecordsBatch): boolean {
  return (batch.attributes & IS_CONTROL) !== 0;
}

/**
 * The data batches of one partition's read_committed fetch that belong to committed (or non-transactional) writes,
 * decided the way Kafka's own consumer does (`CompletedFetch.nextFetchedRecord`). The broker lists the aborted
 * transactions overlapping the fetched range in the order their markers were written, not by offset, and several
 * producers can have one open at once in a partition (every upstream task writes to every partition of a
 * repartition topic). So the list is taken in `firstOffset` order; before each batch of a producer, every aborted
 * transaction that began by the batch's last offset makes its producer aborted (any number at once); that
 * producer's transactional batches are dropped until its ABORT marker, which ends the transaction. Control batches
 * are never returned. Batches are whole here: a transactional batch belongs to one transaction.
 */
export function committedDataBatches(batches: readonly RecordsBatch[], aborted: readonly AbortedTransaction[] | null | undefined): RecordsBatch[] {
  const pending = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  const committed: RecordsBatch[] = [];
  let next = 0;
  for (const batch of batches) {
    if (batch.producerId >= 0n) {
      const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      while (next < pending.length && pending[next]!.firstOffset <= lastOffset) abortedProducers.add(pending[next++]!.producerId);
      if (isAbortMarker(batch)) {
        abortedProducers.delete(batch.producerId);
        continue;
      }
      if ((batch.attributes & IS_TRANSACTIONAL) !== 0 && abortedProducers.has(batch.producerId)) continue;
    }
    if (!isControlBatch(batch)) committed.push(batch);
  }
  return committed;
}
