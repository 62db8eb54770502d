/** One record of a fetch response, as kafkajs decodes it (offsets are decimal strings). */
export interface FetchedRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

/** An entry of a read_committed fetch response: `producerId`'s transaction from `firstOffset` was aborted. */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** A control record's key is version (int16) then type (int16): type 0 is ABORT, 1 is COMMIT. */
function isAbortMarker(record: FetchedRecord): boolean {
  return record.isControlRecord && record.key !== null && record.key.length >= 4 && record.key.readInt16BE(2) === 0;
}

/**
 * Which data records of a read_committed fetch belong to aborted transactions, the way Kafka's own consumer
 * decides it: the broker lists the aborted transactions overlapping the fetched range in marker order, not in
 * offset order, and several producers' transactions can be open at once in one partition (every upstream task
 * writes to every partition of a repartition topic). So the list is taken in `firstOffset` order, every
 * transaction that has started by a record's offset is active (any number at once), a producer's records are
 * dropped while one of its transactions is active, and its ABORT marker ends that transaction.
 */
export function abortedRecordIndexes(records: readonly FetchedRecord[], aborted: readonly AbortedTransaction[]): number[] {
  if (aborted.length === 0) return [];
  const pending = aborted
    .map((t) => ({ producerId: t.producerId, firstOffset: BigInt(t.firstOffset) }))
    .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const activeProducers = new Set<string>();
  const result: number[] = [];
  let next = 0;
  records.forEach((record, index) => {
    const offset = BigInt(record.offset);
    while (next < pending.length && pending[next]!.firstOffset <= offset) activeProducers.add(pending[next++]!.producerId);
    const { producerId, inTransaction } = record.batchContext;
    if (isAbortMarker(record)) activeProducers.delete(producerId);
    else if (!record.isControlRecord && inTransaction && activeProducers.has(producerId)) result.push(index);
  });
  return result;
}
