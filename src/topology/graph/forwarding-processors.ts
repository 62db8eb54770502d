import type { DroppedRecordReason, Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';

/**
 * A processor forwarding the records `keep` accepts, unchanged, to all its children; the others are reported as
 * dropped for `dropReason`, when given.
 */
function forwardingSupplier(
  keep: (record: Record<unknown, unknown>) => boolean,
  dropReason?: DroppedRecordReason,
): ProcessorSupplier<unknown, unknown, unknown, unknown> {
  return () => {
    let context: ProcessorContext<unknown, unknown> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
      },
      process: (record) => {
        if (keep(record)) context!.forward(record);
        else if (dropReason !== undefined) context!.recordDropped?.(dropReason);
      },
    };
  };
}

/** Kafka Streams' `PassThrough`: the branches of a split, and merges. */
export const passThrough = forwardingSupplier(() => true);

/**
 * The filter in front of every stream-side repartition sink: a record without a key has no partition to go to,
 * so Kafka Streams drops it there rather than send it to a random one.
 */
export const nullKeyFilter = forwardingSupplier((record) => record.key !== null && record.key !== undefined, 'nullKey');

/** A branch of a split: its processor name and predicate (`null` for the default branch). */
export interface SplitBranch {
  readonly childName: string;
  readonly predicate: ((key: unknown, value: unknown) => boolean) | null;
}

/**
 * `KStreamBranch`: each record goes to the first branch whose predicate matches, or to the default branch when
 * none does; a record is never copied to several branches.
 */
export function splitSupplier(branches: readonly SplitBranch[]): ProcessorSupplier<unknown, unknown, unknown, unknown> {
  const predicated = branches.filter((branch) => branch.predicate !== null);
  const fallback = branches.find((branch) => branch.predicate === null);
  return (): Processor<unknown, unknown, unknown, unknown> => {
    let context: ProcessorContext<unknown, unknown> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
      },
      process: (record) => {
        const target = predicated.find((branch) => branch.predicate!(record.key, record.value)) ?? fallback;
        if (target !== undefined) context!.forward(record, target.childName);
      },
    };
  };
}
