import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawRecord } from '../../src/processing/raw-record.js';
import type { OutgoingRecord } from '../../src/processing/record-collector.js';
import { TaskEngine } from '../../src/processing/task-engine.js';
import { TaskDatabase } from '../../src/state/sqlite/task-database.js';
import type { Topology } from '../../src/topology/topology.js';

const APPLICATION_ID = 'bench';

/** What one run of a topology measured. */
export interface RunFigures {
  readonly elapsedMs: number;
  /** CPU time of this process over the run (user + system). */
  readonly cpuMs: number;
  readonly outputRecords: number;
  readonly changelogRecords: number;
  readonly lateRecords: number;
  readonly peakRssBytes: number;
}

/**
 * Runs `topology`'s tasks (partition 0 of each sub-topology) over the input batches, each record handed to the
 * task reading its topic, in a fresh state directory,
 * committing every `commitEvery` records and once at the end, as the runtime commits on its commit interval. The
 * tasks are driven directly rather than through `TopologyTestDriver`, which commits after every record (flushing
 * caches and committing SQLite each time) and would measure commits instead of processing.
 */
export function runTopology(topology: Topology, nextBatch: () => RawRecord[] | undefined, commitEvery: number): RunFigures {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-'));
  const chain = new TaskChain(topology, stateDir);
  try {
    const startedCpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    let sinceCommit = 0;
    for (let batch = nextBatch(); batch !== undefined; batch = nextBatch()) {
      chain.processBatch(batch);
      sinceCommit += batch.length;
      if (sinceCommit >= commitEvery) {
        chain.commit();
        sinceCommit = 0;
      }
    }
    chain.commit();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(startedCpu);
    return {
      elapsedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      outputRecords: chain.outputRecords,
      changelogRecords: chain.changelogRecords,
      lateRecords: chain.lateRecords(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    chain.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * The tasks of one topology, chained in sub-topology order through in-memory "repartition topics": records a task
 * writes to one are handed to the next task in batches, as a consumer would fetch them. Output and changelog
 * records are counted, not stored.
 */
class TaskChain {
  private readonly tasks: TaskEngine[] = [];
  private readonly databases: TaskDatabase[] = [];
  /** Per repartition topic: records written and not yet handed to the next task, and the next offset to assign. */
  private readonly repartitionTopics = new Map<string, { pending: RawRecord[]; nextOffset: number }>();
  outputRecords = 0;
  changelogRecords = 0;

  constructor(topology: Topology, stateDir: string) {
    const compiled = topology.build();
    const internalTopics = new Set(compiled.internalTopics.map((topic) => `${APPLICATION_ID}-${topic.name}`));
    const recordCollector = {
      send: (record: OutgoingRecord) => (internalTopics.has(record.topic) ? this.enqueue(record) : this.outputRecords++),
      partitionCount: () => 1,
    };
    const changelog = { send: () => void this.changelogRecords++ };
    for (const subtopology of compiled.subtopologies) {
      const database = TaskDatabase.open(join(stateDir, `${subtopology.id}_0.sqlite`));
      this.databases.push(database);
      this.tasks.push(new TaskEngine(subtopology, compiled, 0, { applicationId: APPLICATION_ID }, { database, changelog, recordCollector }));
    }
    for (const task of this.tasks) task.initializeStateStores();
    for (const task of this.tasks) task.initializeTopology();
  }

  /** Processes one batch of input through every task, as far as it goes. */
  processBatch(batch: readonly RawRecord[]): void {
    const byTopic = new Map<string, RawRecord[]>();
    for (const record of batch) {
      const records = byTopic.get(record.topic);
      if (records === undefined) byTopic.set(record.topic, [record]);
      else records.push(record);
    }
    for (const [topic, records] of byTopic) this.taskReading(topic).addRecords({ topic, partition: 0 }, records);
    for (const task of this.tasks) {
      this.deliverPending(task);
      while (task.process()) {
        // keep processing what is buffered
      }
    }
  }

  /** Flushes and commits every task in order; flushing a cache may send records on to the next task first. */
  commit(): void {
    for (const task of this.tasks) {
      this.deliverPending(task);
      while (task.process()) {
        // records a previous task's flush produced
      }
      task.flush();
      task.commitState();
    }
  }

  /** Records dropped for arriving after their window closed, over all tasks. */
  lateRecords(): number {
    return this.tasks.reduce((sum, task) => sum + task.metrics().droppedRecords.lateRecords, 0);
  }

  close(): void {
    for (const task of this.tasks) task.close();
    for (const database of this.databases) database.close();
  }

  private taskReading(topic: string): TaskEngine {
    const task = this.tasks.find((candidate) => candidate.inputPartitions.some((partition) => partition.topic === topic));
    if (task === undefined) throw new Error(`no task reads ${topic}`);
    return task;
  }

  private enqueue(record: OutgoingRecord): void {
    let topic = this.repartitionTopics.get(record.topic);
    if (topic === undefined) {
      topic = { pending: [], nextOffset: 0 };
      this.repartitionTopics.set(record.topic, topic);
    }
    const offset = topic.nextOffset++;
    topic.pending.push({ topic: record.topic, partition: 0, offset, timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers });
  }

  private deliverPending(task: TaskEngine): void {
    for (const { topic: name } of task.inputPartitions) {
      const topic = this.repartitionTopics.get(name);
      if (topic === undefined || topic.pending.length === 0) continue;
      task.addRecords({ topic: name, partition: 0 }, topic.pending);
      topic.pending = [];
    }
  }
}
