import { StreamsError } from '../core/errors.js';
import type { Headers } from '../core/headers.js';
import type { Serde } from '../core/serde.js';
import type { KeyValue } from '../state/key-value.js';
import { TestRecord } from './test-record.js';

export interface TestInputTopicOptions {
  /** Timestamp of the first record piped without one; defaults to the driver's wall-clock time. */
  readonly startTimestampMs?: number;
  /** How far the topic's clock moves after each record piped without a timestamp; defaults to 0. */
  readonly autoAdvanceMs?: number;
}

type PipeBytes = (key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers) => void;

/** Pipes typed records into one topic of a `TopologyTestDriver`; each call returns after the record was processed. */
export class TestInputTopic<K, V> {
  private currentTimeMs: number;
  private readonly autoAdvanceMs: number;

  constructor(
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly pipeBytes: PipeBytes,
    options: Required<Pick<TestInputTopicOptions, 'startTimestampMs'>> & TestInputTopicOptions,
  ) {
    this.currentTimeMs = options.startTimestampMs;
    this.autoAdvanceMs = nonNegative(options.autoAdvanceMs ?? 0, 'autoAdvanceMs');
  }

  /** Pipes one record: `pipeInput(record)` or `pipeInput(key, value, timestampMs?)`. */
  pipeInput(record: TestRecord<K, V>): void;
  pipeInput(key: K | null, value: V | null, timestampMs?: number): void;
  pipeInput(keyOrRecord: K | null | TestRecord<K, V>, value?: V | null, timestampMs?: number): void {
    const record = keyOrRecord instanceof TestRecord ? keyOrRecord : new TestRecord(keyOrRecord, value ?? null, timestampMs);
    const timestamp = record.timestamp ?? this.takeTimestamp();
    const key = this.keySerde.serialize(this.name, record.key, record.headers);
    const bytes = this.valueSerde.serialize(this.name, record.value, record.headers);
    this.pipeBytes(key, bytes, timestamp, record.headers);
  }

  pipeRecordList(records: ReadonlyArray<TestRecord<K, V>>): void {
    for (const record of records) this.pipeInput(record);
  }

  /** Pipes key-value pairs; with `startTimestampMs`, stamps them from there, `advanceMs` apart. */
  pipeKeyValueList(keyValues: ReadonlyArray<KeyValue<K | null, V | null>>, startTimestampMs?: number, advanceMs = 0): void {
    let timestamp = startTimestampMs;
    for (const { key, value } of keyValues) {
      this.pipeInput(key, value, timestamp);
      if (timestamp !== undefined) timestamp += advanceMs;
    }
  }

  /** Pipes values with `null` keys; timestamps as in `pipeKeyValueList`. */
  pipeValueList(values: ReadonlyArray<V | null>, startTimestampMs?: number, advanceMs = 0): void {
    this.pipeKeyValueList(values.map((value) => ({ key: null, value })), startTimestampMs, advanceMs);
  }

  /** Moves this topic's clock for records piped without a timestamp. */
  advanceTime(ms: number): void {
    this.currentTimeMs += nonNegative(ms, 'advance');
  }

  private takeTimestamp(): number {
    const timestamp = this.currentTimeMs;
    this.currentTimeMs += this.autoAdvanceMs;
    return timestamp;
  }
}

function nonNegative(ms: number, what: string): number {
  if (!(ms >= 0)) throw new StreamsError('ILLEGAL_STATE', `${what} must not be negative, got ${ms}`);
  return ms;
}
