import type { ProcessorContext } from '../../../../src/core/processor.js';
import type { Record } from '../../../../src/core/record.js';
import type { Serde } from '../../../../src/core/serde.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { ProducerTransaction, RecordProducer, TransactionalProducer, WrittenOffsets } from '../../../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import type { TopicPartition } from '../../../../src/processing/raw-record.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import type { TaskEngineConfig } from '../../../../src/processing/task-engine-config.js';
import { silentLogger, type TaskLogger } from '../../../../src/processing/task-logger.js';
import { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import type { KeyValueStore } from '../../../../src/state/key-value-store.js';
import { Stores } from '../../../../src/state/stores.js';
import { Topology } from '../../../../src/topology/topology.js';

/** A logger that keeps every entry, children included, as `level message fields`. */
export class RecordingLogger implements TaskLogger {
  constructor(readonly entries: Array<{ level: string; message: string; fields: object }> = []) {}
  debug(fields: object, message: string): void {
    this.entries.push({ level: 'debug', message, fields });
  }
  info(fields: object, message: string): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(fields: object, message: string): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(fields: object, message: string): void {
    this.entries.push({ level: 'error', message, fields });
  }
  child(): TaskLogger {
    return new RecordingLogger(this.entries);
  }
}

/**
 * Source `in` → processor `store` (puts every record into the logged SQLite store `store`, then forwards it) → sink
 * `out`: each input record yields one output and one changelog record (`app-store-changelog`).
 */
export function storingTopology(): Topology {
  const storing = () => {
    let context: ProcessorContext<string, string>;
    let store: KeyValueStore<string, string>;
    return {
      init(ctx: ProcessorContext<string, string>) {
        context = ctx;
        store = ctx.getStateStore<KeyValueStore<string, string>>('store');
      },
      process(record: Record<string, string>) {
        store.put(record.key, record.value);
        context.forward(record);
      },
    };
  };
  return new Topology()
    .addSource('in', 'in')
    .addProcessor('store', storing, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('store'), Serdes.String(), Serdes.String()), 'store')
    .addSink('out', 'out', 'store');
}

/** A running task of sub-topology 0, partition 0, on an in-memory database, with string default serdes. */
export function runningTask(topology: Topology = storingTopology(), logger: TaskLogger = silentLogger, config: Partial<TaskEngineConfig> = {}): ActiveTask {
  const compiled = topology.build();
  const task = new ActiveTask({
    subtopology: compiled.subtopologies[0]!,
    topology: compiled,
    partition: 0,
    databasePath: ':memory:',
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown>, ...config },
    logger,
    partitionCount: () => 1,
    deadLetter: undefined,
  });
  task.moveTo('restoring');
  task.engine.initializeTopology();
  task.moveTo('running');
  return task;
}

/** A fake broker log: appends per `topic:partition`, refuses the records `refuses` names. */
export class FakeLog {
  private readonly ends = new Map<string, number>();
  refuses: (record: OutgoingRecord) => boolean = () => false;

  /**
   * Writes records the way kafkajs' `sendBatch` does: one batch per partition, each accepted or refused as a whole,
   * and the accepted batches stay written when another batch of the same send is refused.
   */
  write(records: readonly OutgoingRecord[], into: OutgoingRecord[]): WrittenOffsets {
    const batches = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const key = `${record.topic}:${record.partition ?? 0}`;
      batches.set(key, [...(batches.get(key) ?? []), record]);
    }
    const written: WrittenOffsets = new Map();
    let refused = false;
    for (const [key, batch] of batches) {
      if (batch.some((record) => this.refuses(record))) {
        refused = true;
        continue;
      }
      into.push(...batch);
      const end = (this.ends.get(key) ?? 0) + batch.length;
      this.ends.set(key, end);
      written.set(key, end - 1);
    }
    if (refused) throw new ProductionFailure('record', 'send failed (MESSAGE_TOO_LARGE): record too large');
    return written;
  }
}

/** Records a transactional producer's transactions; `fenced` makes every call fail as if another producer took the id. */
export class FakeTransactionalProducer implements TransactionalProducer {
  readonly log = new FakeLog();
  /** Records of committed transactions, in commit order. */
  readonly committed: OutgoingRecord[] = [];
  readonly committedOffsets: Array<TopicPartition & { offset: number }> = [];
  aborts = 0;
  begun = 0;
  fenced = false;
  disconnected = false;

  async connect(): Promise<void> {}

  async begin(): Promise<ProducerTransaction> {
    this.check();
    this.begun++;
    const records: OutgoingRecord[] = [];
    const offsets: Array<TopicPartition & { offset: number }> = [];
    let open = true;
    const live = (): void => {
      this.check();
      if (!open) throw new Error('transaction is over');
    };
    return {
      send: async (batch) => {
        live();
        return this.log.write(batch, records);
      },
      sendOffsets: async (_group, list) => {
        live();
        offsets.push(...list);
      },
      commit: async () => {
        live();
        open = false;
        this.committed.push(...records);
        this.committedOffsets.push(...offsets);
      },
      abort: async () => {
        live();
        open = false;
        this.aborts++;
      },
    };
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  private check(): void {
    if (this.fenced) throw new ProductionFailure('fenced', 'send failed (PRODUCER_FENCED): fenced');
  }
}

/** An idempotent producer over a `FakeLog`; `failConnects` connects fail before one succeeds. */
export class FakeRecordProducer implements RecordProducer {
  readonly log = new FakeLog();
  readonly written: OutgoingRecord[] = [];
  connects = 0;
  failConnects = 0;

  async connect(): Promise<void> {
    this.connects++;
    if (this.connects <= this.failConnects) throw new Error('broker unreachable');
  }

  async send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return this.log.write(records, this.written);
  }

  async disconnect(): Promise<void> {}
}

/** `topic key=value` of string-keyed records, for comparing output. */
export function lines(records: readonly OutgoingRecord[]): string[] {
  return records.map((r) => `${r.topic} ${r.key?.toString() ?? 'null'}=${r.value?.toString() ?? 'null'}`);
}
