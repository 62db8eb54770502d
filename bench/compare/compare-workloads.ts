import type { ProcessingGuarantee } from '../../src/runtime/app/streams-config.js';
import type { TopologyKind } from '../broker/workloads.js';
import { valueLabel, type InputShape } from './compare-inputs.js';

/**
 * One workload both systems run. A restoration counts its distinct keys (measured too), then a fresh instance of
 * the same application, with an empty state directory, restores the count store's changelog.
 */
export interface CompareWorkload {
  readonly topology: TopologyKind;
  readonly input: InputShape;
  readonly guarantee: ProcessingGuarantee;
  readonly restoration: boolean;
}

const GUARANTEES: readonly ProcessingGuarantee[] = ['at_least_once', 'exactly_once'];

/** bench:broker's eight runs, the windowed count under both guarantees, then the restoration. */
export const COMPARE_WORKLOADS: readonly CompareWorkload[] = [
  ...(['100 B', '1 KB'] as const).flatMap((input) =>
    (['filter+map', 'groupBy+count'] as const).flatMap((topology) => GUARANTEES.map((guarantee) => ({ topology, input, guarantee, restoration: false }))),
  ),
  ...GUARANTEES.map((guarantee) => ({ topology: 'windowed count' as const, input: 'windowed' as const, guarantee, restoration: false })),
  { topology: 'count by key', input: 'distinct keys', guarantee: 'at_least_once', restoration: true },
];

/** What `--only` matches against, e.g. `groupBy+count 1 KB exactly_once` or `restoration`. */
export function workloadLabel(workload: CompareWorkload): string {
  return workload.restoration ? 'restoration' : `${workload.topology} ${valueLabel(workload.input)} ${workload.guarantee}`;
}
