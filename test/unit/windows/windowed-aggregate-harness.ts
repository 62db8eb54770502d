import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Change } from '../../../src/core/change.js';
import { Headers } from '../../../src/core/headers.js';
import type { ProcessorSupplier } from '../../../src/core/processor.js';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { StoreBuilder } from '../../../src/state/state-store.js';
import { Stores } from '../../../src/state/stores.js';
import { valueAndTimestampSerde } from '../../../src/state/value-and-timestamp.js';
import type { TestInputTopic, TestOutputTopic } from '../../../src/testing/index.js';
import { TestRecord, TopologyTestDriver } from '../../../src/testing/index.js';
import { Topology } from '../../../src/topology/topology.js';
import { emitWatermarkStoreBuilder } from '../../../src/windows/emit-watermark-store.js';
import type { EmitStrategy, WindowedAggregateSettings } from '../../../src/windows/windowed-aggregate-settings.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';

const STORE = 'agg-store';

export type StringAggregateSupplier = ProcessorSupplier<string, string, Windowed<string>, Change<string>>;

function settings(emitStrategy: EmitStrategy = 'onWindowUpdate', sendOldValues = false): WindowedAggregateSettings {
  return { processorName: 'aggregate', storeName: STORE, sendOldValues, emitStrategy };
}

/** Concatenates the values of a window: shows which records each window holds, in the order they came. */
export const concat = {
  initializer: (): string => '',
  aggregator: (_key: string, value: string, aggregate: string): string => aggregate + value,
  merger: (_key: string, one: string, two: string): string => one + two,
};

/** How the DSL expresses `reduce`: a `null` initial aggregate that the first value replaces. */
export const reduceConcat: typeof concat = {
  initializer: () => null as unknown as string,
  aggregator: (_key, value, aggregate: string | null) => (aggregate === null ? value : aggregate + value),
  merger: (_key, one: string | null, two) => (one === null ? two : one + two),
};

function windowStore(retentionMs: number, windowSizeMs: number, persistent = false): StoreBuilder {
  const supplier = persistent
    ? Stores.persistentWindowStore(STORE, retentionMs, windowSizeMs)
    : Stores.inMemoryWindowStore(STORE, retentionMs, windowSizeMs);
  return Stores.windowStoreBuilder(supplier, Serdes.String(), valueAndTimestampSerde(Serdes.String()));
}

function sessionStore(retentionMs: number, persistent = false): StoreBuilder {
  const supplier = persistent ? Stores.persistentSessionStore(STORE, retentionMs) : Stores.inMemorySessionStore(STORE, retentionMs);
  return Stores.sessionStoreBuilder(supplier, Serdes.String(), Serdes.String());
}

/** Output values: the new value only (a tombstone for `null`), as a table's topic holds them. */
const newValueSerde: Serde<Change<string>> = {
  serialize: (topic, change) => (change === null ? null : Serdes.String().serialize(topic, change.newValue)),
  deserialize: (topic, bytes) => {
    const newValue = Serdes.String().deserialize(topic, bytes);
    return newValue === null ? null : { newValue, oldValue: null };
  },
};

export interface HarnessOptions {
  readonly supplier: StringAggregateSupplier;
  readonly store: StoreBuilder;
  readonly windowedKeySerde: Serde<Windowed<string>>;
  /** Adds the watermark store that `onWindowClose` needs. */
  readonly emitOnClose?: { readonly persistent: boolean };
  /** Writes whole changes (new and old value) as JSON instead of the new value alone. */
  readonly showOldValues?: boolean;
  readonly stateDir?: string;
}

/** An input record: key, value, timestamp and, optionally, the value of a `tag` header. */
export type Input = readonly [key: string | null, value: string | null, timestamp: number, tag?: string];

const TAG = 'tag';

/**
 * A Processor API topology `input → aggregate (+ stores) → output` run by the test driver, with output records
 * rendered as `key[start,end]=value@timestamp` (`new/old` when showing old values), followed by ` #tag` when the
 * record carries a `tag` header.
 */
export class WindowedAggregateHarness {
  readonly driver: TopologyTestDriver;
  private readonly input: TestInputTopic<string, string>;
  private readonly output: TestOutputTopic<Windowed<string>, Change<string>>;

  constructor(private readonly options: HarnessOptions) {
    const valueSerde = options.showOldValues === true ? Serdes.Json<Change<string>>() : newValueSerde;
    let topology = new Topology()
      .addSource('source', 'input', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .addProcessor('aggregate', options.supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>, 'source')
      .addStateStore(options.store, 'aggregate');
    if (options.emitOnClose !== undefined) {
      topology = topology.addStateStore(emitWatermarkStoreBuilder(STORE, options.emitOnClose.persistent, true), 'aggregate');
    }
    topology = topology.addSink('sink', 'output', { keySerde: options.windowedKeySerde, valueSerde }, 'aggregate');
    this.driver = new TopologyTestDriver(topology, { applicationId: 'windowed-app', stateDir: options.stateDir }, 0);
    this.input = this.driver.createInputTopic('input', Serdes.String(), Serdes.String());
    this.output = this.driver.createOutputTopic('output', options.windowedKeySerde, valueSerde);
  }

  /** Pipes records in order. */
  pipe(...records: readonly Input[]): this {
    for (const [key, value, timestamp, tag] of records) {
      const headers = tag === undefined ? Headers.EMPTY : Headers.EMPTY.add(TAG, tag);
      this.input.pipeInput(new TestRecord(key, value, timestamp, headers));
    }
    return this;
  }

  /** What the topology wrote since the last call. */
  read(): string[] {
    return this.output.readRecordsToList().map(({ key, value, timestamp, headers }) => {
      const window = key === null ? '?' : `${key.key}[${key.window.start},${key.window.end}]`;
      const newValue = value?.newValue ?? 'null';
      const shown = this.options.showOldValues === true ? `${newValue}/${value?.oldValue ?? 'null'}` : newValue;
      const tag = headers.lastHeader(TAG)?.value?.toString();
      return `${window}=${shown}@${timestamp}${tag === undefined ? '' : ` #${tag}`}`;
    });
  }

  dropped(): { readonly lateRecords: number; readonly nullKeys: number; readonly nullValues: number } {
    const metrics = this.driver.metrics().get('0_0');
    if (metrics === undefined) throw new Error('the topology has no task 0_0');
    return metrics.droppedRecords;
  }

  close(): void {
    this.driver.close();
  }
}

/** Runs `test` against `harness`, closing the harness however the test ends. */
export function withHarness(harness: WindowedAggregateHarness, test: (harness: WindowedAggregateHarness) => void): void {
  try {
    test(harness);
  } finally {
    harness.close();
  }
}

/**
 * Runs `test` with `start`, which opens a new harness (made by `open`) over one state directory. A test starts one,
 * then the next without closing the first: a crash, after which the next harness finds what the first committed
 * (after each record). Every harness is closed, latest first, and the directory removed at the end.
 */
export function withRestarts(
  open: (stateDir: string) => WindowedAggregateHarness,
  test: (start: () => WindowedAggregateHarness) => void,
): void {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-windowed-aggregate-'));
  const started: WindowedAggregateHarness[] = [];
  try {
    test(() => {
      const harness = open(stateDir);
      started.push(harness);
      return harness;
    });
  } finally {
    for (const harness of started.reverse()) harness.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** How a test sets up an aggregation, whatever its kind of windows. */
export interface AggregateTestOptions {
  readonly emitStrategy?: EmitStrategy;
  readonly sendOldValues?: boolean;
  /** Show both values of each change in the output (defaults to `sendOldValues`). */
  readonly showOldValues?: boolean;
  /** Defaults to the windows' minimum retention. */
  readonly retentionMs?: number;
  readonly persistent?: boolean;
  readonly stateDir?: string;
  readonly functions?: typeof concat;
}

/** How a test builds the processor under test from the test's functions and settings. */
export type AggregateSupplierOf = (functions: typeof concat, settings: WindowedAggregateSettings) => StringAggregateSupplier;

/** What differs between the kinds of windowed aggregation under test. */
export interface AggregateUnderTest {
  readonly supplier: AggregateSupplierOf;
  /** The window store's window size, or `undefined` for a session store. */
  readonly windowSizeMs: number | undefined;
  readonly minimumRetentionMs: number;
}

/** A harness over `aggregate`, set up as `options` say. */
export function aggregateHarness(aggregate: AggregateUnderTest, options: AggregateTestOptions = {}): WindowedAggregateHarness {
  const { emitStrategy = 'onWindowUpdate', sendOldValues = false, persistent = false, functions = concat } = options;
  const { windowSizeMs } = aggregate;
  const retentionMs = options.retentionMs ?? aggregate.minimumRetentionMs;
  return new WindowedAggregateHarness({
    supplier: aggregate.supplier(functions, settings(emitStrategy, sendOldValues)),
    store: windowSizeMs === undefined ? sessionStore(retentionMs, persistent) : windowStore(retentionMs, windowSizeMs, persistent),
    windowedKeySerde:
      windowSizeMs === undefined
        ? WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String())
        : WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), windowSizeMs),
    emitOnClose: emitStrategy === 'onWindowClose' ? { persistent } : undefined,
    showOldValues: options.showOldValues ?? sendOldValues,
    stateDir: options.stateDir,
  });
}
