import { Headers } from '../../../src/core/headers.js';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { OutgoingRecord, RecordCollector } from '../../../src/processing/record-collector.js';
import type { RawRecord } from '../../../src/processing/raw-record.js';
import { TaskEngine } from '../../../src/processing/task-engine.js';
import type { TaskEngineConfig } from '../../../src/processing/task-engine-config.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import type { Topology } from '../../../src/topology/topology.js';

export interface TaskHarness {
  readonly task: TaskEngine;
  readonly sent: OutgoingRecord[];
  readonly database: TaskDatabase;
  /** Sent records decoded as `topic key=value@timestamp` with string keys and values. */
  sentLines(): string[];
  close(): void;
}

/** Runs sub-topology `subtopologyId` of `topology` as task `<id>_<partition>`, with string default serdes. */
export function startTask(topology: Topology, config: Partial<TaskEngineConfig> = {}, subtopologyId = 0, partition = 0): TaskHarness {
  const compiled = topology.build();
  const sent: OutgoingRecord[] = [];
  const recordCollector: RecordCollector = { send: (record) => sent.push(record), partitionCount: () => 3 };
  const database = TaskDatabase.open(':memory:');
  const task = new TaskEngine(
    compiled.subtopologies[subtopologyId]!,
    compiled,
    partition,
    { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown>, ...config },
    { database, changelog: null, recordCollector },
  );
  task.initializeStateStores();
  task.initializeTopology();
  return {
    task,
    sent,
    database,
    sentLines: () => sent.map((r) => `${r.topic} ${r.key?.toString() ?? 'null'}=${r.value?.toString() ?? 'null'}@${r.timestamp}`),
    close: () => {
      task.close();
      database.close();
    },
  };
}

let nextOffset = 0;

/** A raw input record with UTF-8 key and value. */
export function raw(topic: string, partition: number, timestamp: number, key: string | null, value: string | Buffer | null, offset = nextOffset++): RawRecord {
  return {
    topic,
    partition,
    offset,
    timestamp,
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value),
    headers: Headers.EMPTY,
  };
}

/** Processes everything buffered, punctuating on stream time after each record, as the runtime loop does. */
export function processAll(task: TaskEngine): void {
  while (task.process()) task.maybePunctuateStreamTime();
}
