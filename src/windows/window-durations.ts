import { TopologyError } from '../core/errors.js';

/** Checks a window duration argument; `minimum` is 0 for grace periods and 1 for sizes and gaps. */
export function checkDuration(name: string, valueMs: number, minimum: 0 | 1): number {
  if (!Number.isSafeInteger(valueMs) || valueMs < minimum) {
    const expected = minimum === 0 ? 'a non-negative' : 'a positive';
    throw new TopologyError(`${name} must be ${expected} integer of milliseconds, got ${valueMs}`);
  }
  return valueMs;
}
