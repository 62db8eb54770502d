import type { Kafka, Message } from 'kafkajs';
import { FollowingReader, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import type { ProcessingGuarantee } from '../../../src/index.js';
import { deleteTopics, removeDir, tempStateDir } from '../streams/streams-support.js';
import { brokers, eventually, kafka, uniqueName } from './broker.js';
import type { CrashAppConfig } from './crash-app-runner.js';
import { killAllCrashApps } from './crash-app-process.js';

/** The key of the records `CommittedOutputLog.readToEnd` writes to the output topic to know it has read it all. */
const END_MARKER = '__end__';

/** Sends one record per partition of `topic`, as `message` makes it. */
export async function sendToEveryPartition(client: Kafka, topic: string, partitions: number, message: (partition: number) => Message): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: Array.from({ length: partitions }, (_, partition) => ({ ...message(partition), partition })) });
  } finally {
    await producer.disconnect();
  }
}

export interface Pacing {
  readonly total: number;
  /** Records per request. */
  readonly batch: number;
  /** Pause after each request. */
  readonly intervalMs: number;
  /**
   * How many records the feed may produce before `allowUpTo` lets it go on (all of them when absent). A crash test
   * holds part of the input back this way, so that input is left for after each kill however slow the machine.
   */
  readonly upTo?: number;
}

/** How often a held feed looks whether it may go on. */
const HELD_POLL_MS = 20;

/**
 * Produces the records `message` makes for seq 0..total-1, paced, in order (idempotent, one in-flight request), and
 * never more than it is allowed so far.
 */
export class PacedInputFeed {
  produced = 0;
  readonly done: Promise<void>;
  private stopRequested = false;
  private allowed: number;

  constructor(client: Kafka, topic: string, pacing: Pacing, message: (seq: number) => Message) {
    this.allowed = Math.min(pacing.upTo ?? pacing.total, pacing.total);
    this.done = this.run(client, topic, pacing, message);
    this.done.catch(() => undefined);
  }

  /** Lets the feed produce up to `count` records in all (never beyond its total). */
  allowUpTo(count: number): void {
    this.allowed = Math.max(this.allowed, count);
  }

  private async run(client: Kafka, topic: string, pacing: Pacing, message: (seq: number) => Message): Promise<void> {
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      while (this.produced < pacing.total && !this.stopRequested) {
        const size = Math.min(pacing.batch, this.allowed - this.produced, pacing.total - this.produced);
        if (size <= 0) {
          await new Promise((resolve) => setTimeout(resolve, HELD_POLL_MS));
          continue;
        }
        await producer.send({ topic, messages: Array.from({ length: size }, (_, i) => message(this.produced + i)) });
        this.produced += size;
        await new Promise((resolve) => setTimeout(resolve, pacing.intervalMs));
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Ends the feed after the request in flight, before `total`; resolves with the number of records produced. */
  async stop(): Promise<number> {
    this.stopRequested = true;
    await this.done;
    return this.produced;
  }
}

export interface OutputReading<T> {
  readonly topic: string;
  readonly partitions: number;
  /** What the records are, for messages while waiting for them ("count updates"). */
  readonly recordsAre: string;
  /** Reads a record other than an end marker. */
  readonly decode: (record: ReadRecord, topic: string) => T;
}

/**
 * Reads the output topic read_committed from the start with Kafka's own Java consumer (so that no bug of the client
 * kstreams runs on can hide in the check), keeping each record once (by partition and offset).
 */
export class CommittedOutputLog<T> {
  private readonly records = new Map<string, { partition: number; offset: number; value: T }>();
  private readonly endMarkers = new Set<string>();
  private readonly reader: FollowingReader;

  constructor(
    private readonly client: Kafka,
    private readonly reading: OutputReading<T>,
  ) {
    this.reader = new FollowingReader(brokers().join(','), [reading.topic], (record) => {
      const at = `${record.partition}:${record.offset}`;
      if (record.key?.toString() === END_MARKER) this.endMarkers.add(at);
      else this.records.set(at, { partition: record.partition, offset: record.offset, value: reading.decode(record, reading.topic) });
    });
  }

  /** Records read so far, end markers aside. */
  get size(): number {
    return this.records.size;
  }

  async awaitSize(atLeast: number, timeoutMs = 45_000): Promise<number> {
    await this.await(() => `${atLeast} ${this.reading.recordsAre} on the output topic (have ${this.size})`, () => this.size >= atLeast, timeoutMs);
    return this.size;
  }

  /**
   * Writes an end marker to every partition and waits for all of them: read_committed delivers a partition in
   * offset order, so once its marker is read, every record committed before it has been read too.
   */
  async readToEnd(): Promise<void> {
    const { topic, partitions } = this.reading;
    await sendToEveryPartition(this.client, topic, partitions, () => ({ key: END_MARKER, value: '' }));
    await this.await('the end marker of every output partition', () => this.endMarkers.size === partitions);
  }

  /** The records read so far, partition by partition, each in the order written. */
  values(): T[] {
    return [...this.records.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset).map((r) => r.value);
  }

  stop(): Promise<void> {
    return this.reader.close();
  }

  private await(what: string | (() => string), condition: () => boolean, timeoutMs?: number): Promise<void> {
    return Promise.race([eventually(what, condition, timeoutMs), this.reader.failed]);
  }
}

export interface CrashTestOptions<T> {
  /** Names the topics, the application and the output reader: `<prefix>-input`, `<prefix>-app`, … */
  readonly prefix: string;
  readonly partitions: number;
  readonly recordsAre: string;
  readonly decode: (record: ReadRecord, topic: string) => T;
}

/**
 * What a crash test runs in: fresh input and output topics, an application id and a state directory, and a log of
 * the committed output. `CrashTestBed.run` sets it up and, whatever the test did, kills every crash app still
 * running, stops its feed and log, and deletes the topics and the state directory.
 */
export class CrashTestBed {
  readonly client = kafka();
  readonly input: string;
  readonly output: string;
  readonly applicationId: string;
  readonly stateDir = tempStateDir();
  private feed: PacedInputFeed | undefined;

  private constructor(
    readonly partitions: number,
    prefix: string,
  ) {
    this.input = uniqueName(`${prefix}-input`);
    this.output = uniqueName(`${prefix}-output`);
    this.applicationId = uniqueName(`${prefix}-app`);
  }

  static async run<T>(options: CrashTestOptions<T>, body: (bed: CrashTestBed, outputLog: CommittedOutputLog<T>) => Promise<void>): Promise<void> {
    const bed = new CrashTestBed(options.partitions, options.prefix);
    const admin = bed.client.admin();
    await admin.connect();
    let outputLog: CommittedOutputLog<T> | undefined;
    try {
      const topics = [bed.input, bed.output].map((topic) => ({ topic, numPartitions: bed.partitions }));
      await admin.createTopics({ topics, waitForLeaders: true });
      outputLog = new CommittedOutputLog(bed.client, { topic: bed.output, partitions: bed.partitions, recordsAre: options.recordsAre, decode: options.decode });
      await body(bed, outputLog);
    } finally {
      await killAllCrashApps();
      await bed.feed?.done.catch(() => undefined);
      await outputLog?.stop();
      await admin.disconnect();
      await deleteTopics(bed.client, { prefix: bed.applicationId, names: [bed.input, bed.output] });
      removeDir(bed.stateDir);
    }
  }

  /** The crash app's config for this bed's topics, application and state directory. */
  appConfig(guarantee: ProcessingGuarantee, commitIntervalMs: number): CrashAppConfig {
    return { applicationId: this.applicationId, input: this.input, output: this.output, stateDir: this.stateDir, guarantee, commitIntervalMs };
  }

  /** Starts producing the input; the bed waits for the feed to end before cleaning up. */
  startFeed(pacing: Pacing, message: (seq: number) => Message): PacedInputFeed {
    this.feed = new PacedInputFeed(this.client, this.input, pacing, message);
    return this.feed;
  }
}
