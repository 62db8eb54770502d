import { TopologyError } from '../../core/errors.js';
import type { NodeId } from '../graph/graph-node.js';
import type { DslContext } from './dsl-context.js';

/**
 * Kafka Streams' `findAndVerifyWindowGrace`: how long after a window's end the windowed aggregation a table comes
 * from closes it (grace, plus the gap for sessions), looking up through the table operations that keep its keys (filter, mapValues, suppress). Final results need
 * it to know when a window has closed; any other upstream is an error at build time.
 */
export function windowGraceOf(context: DslContext, tableNode: NodeId, suppressName: string | undefined): number {
  for (let id: NodeId | undefined = tableNode; id !== undefined; ) {
    const node = context.node(id);
    if (node.kind === 'stream-aggregate' && node.store.windowing !== undefined) return node.store.windowing.closeDelayMs;
    if (node.kind === 'cogroup-merge' && node.cogroup.store.windowing !== undefined) return node.cogroup.store.windowing.closeDelayMs;
    const keepsKeys = node.kind === 'table-filter' || node.kind === 'table-map-values' || node.kind === 'table-suppress';
    id = keepsKeys ? node.parents[0] : undefined;
  }
  throw new TopologyError(
    'Suppressed.untilWindowCloses needs a windowed table: suppress must follow a windowed aggregation ' +
      '(windowedBy(...).count/reduce/aggregate), possibly through filter or mapValues',
    { coordinates: { processor: suppressName } },
  );
}
