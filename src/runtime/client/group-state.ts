import type { GroupStateName } from './kafka-client.js';

/**
 * The port's name for a group state as the DescribeGroups answer spells it (`Empty`, `Stable`, `PreparingRebalance`,
 * `CompletingRebalance`, `Dead`); both adapters hand on the broker's string.
 */
export function groupStateName(wire: string): GroupStateName {
  switch (wire.toLowerCase().replaceAll('_', '')) {
    case 'empty':
      return 'empty';
    case 'stable':
      return 'stable';
    case 'preparingrebalance':
    case 'completingrebalance':
      return 'rebalancing';
    case 'dead':
      return 'dead';
    default:
      return 'unknown';
  }
}
