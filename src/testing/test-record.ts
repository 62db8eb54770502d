import { Headers } from '../core/headers.js';

/**
 * A record piped into or read from a test topic. Without a timestamp, an input topic stamps it with its own
 * clock (start time, advanced by the auto-advance step after each record); records read back always have one.
 */
export class TestRecord<K, V> {
  constructor(
    readonly key: K | null,
    readonly value: V | null,
    readonly timestamp?: number,
    readonly headers: Headers = Headers.EMPTY,
  ) {}
}
