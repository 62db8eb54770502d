import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { brokerLayout, selectedKafkaVersion } from '../kafka/broker-layout.js';
import { fetchBrokerJars } from '../kafka/fetch-broker-jars.js';

/**
 * The independent reader: Kafka's own Java consumer (`CommittedReader.java`), compiled against the kafka-clients
 * jar of the broker classpath the project already fetches. Tests and the demo read kstreams' output with it, so a
 * bug of the Node client kstreams uses (kafkajs' read_committed filter, for one) cannot hide in the check.
 */

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]>;
}

export type Isolation = 'read_committed' | 'read_uncommitted';

const SOURCE = join(import.meta.dirname, 'CommittedReader.java');
/** Kafka's Java client and what it loads; no SLF4J binding, so it logs nothing to the stdout we parse. */
const CLIENT_JARS = /^(kafka-clients|lz4-java|snappy-java|zstd-jni|slf4j-api)-.*\.jar$/;

function readerClasspath(): string {
  const { version, line } = selectedKafkaVersion();
  const layout = brokerLayout(version);
  fetchBrokerJars(layout, version, line, (message) => console.error(`[committed-reader] ${message}`));
  const classes = join(layout.root, '.kafka', 'committed-reader');
  const jars = readdirSync(layout.jarsDir).filter((name) => CLIENT_JARS.test(name)).map((name) => join(layout.jarsDir, name));
  const built = join(classes, 'CommittedReader.class');
  if (!existsSync(built) || statSync(built).mtimeMs < statSync(SOURCE).mtimeMs) {
    mkdirSync(classes, { recursive: true });
    const javac = spawnSync('javac', ['-d', classes, '-cp', jars.join(':'), SOURCE], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`javac CommittedReader.java failed (exit ${javac.status ?? javac.signal}):\n${javac.stderr}`);
  }
  return [classes, ...jars].join(':');
}

let classpath: string | undefined;

type ReaderProcess = ChildProcessByStdio<Writable, Readable, Readable>;

function startReader(brokers: string, isolation: Isolation, mode: 'to-end' | 'follow', topics: readonly string[]): ReaderProcess {
  classpath ??= readerClasspath();
  return spawn('java', ['-Xms32m', '-Xmx256m', '-cp', classpath, 'CommittedReader', brokers.split(',')[0]!, isolation, mode, ...topics], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

interface ReaderLine {
  end?: true;
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Array<[string, string | null]>;
}

const fromBase64 = (text: string | null) => (text === null ? null : Buffer.from(text, 'base64'));

function toRecord(line: ReaderLine): ReadRecord {
  return {
    topic: line.topic,
    partition: line.partition,
    offset: line.offset,
    timestamp: line.timestamp,
    key: fromBase64(line.key),
    value: fromBase64(line.value),
    headers: line.headers.map(([key, value]) => [key, fromBase64(value)] as const),
  };
}

/** Reads `topics` from the beginning to the end they have now (their last stable offset under read_committed). */
export function readToEnd(brokers: string, topics: readonly string[], isolation: Isolation = 'read_committed'): Promise<ReadRecord[]> {
  const reader = startReader(brokers, isolation, 'to-end', topics);
  reader.stdin.end();
  const records: ReadRecord[] = [];
  let stderr = '';
  let ended = false;
  reader.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: reader.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as ReaderLine;
    if (line.end) ended = true;
    else records.push(toRecord(line));
  });
  return new Promise((resolve, reject) => {
    reader.on('error', reject);
    reader.on('close', (code, signal) => {
      if (code === 0 && ended) resolve(records);
      else reject(new Error(`the Java reader of ${topics.join(', ')} failed (exit ${code ?? signal}):\n${stderr}`));
    });
  });
}

/**
 * Follows `topics` from the beginning, handing each record to `onRecord` as it arrives, until `close()`. `failed`
 * rejects if the reader exits before that, or if `onRecord` throws. The reader never keeps this process alive on
 * its own: a test that fails before closing it still ends (and the reader with it, when its stdin closes).
 */
export class FollowingReader {
  readonly failed: Promise<never>;
  private readonly reader: ReaderProcess;
  private stderr = '';
  private closing = false;
  private failure: unknown = undefined;
  private readonly exited: Promise<void>;

  constructor(brokers: string, topics: readonly string[], onRecord: (record: ReadRecord) => void, isolation: Isolation = 'read_committed') {
    this.reader = startReader(brokers, isolation, 'follow', topics);
    this.reader.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.reader.stdout }).on('line', (text) => {
      // Once closing, the reader may be cut off in the middle of a line: what follows is of no interest.
      if (this.closing || this.failure !== undefined) return;
      try {
        const line = JSON.parse(text) as ReaderLine;
        if (!line.end) onRecord(toRecord(line));
      } catch (error) {
        this.failure = error;
        this.reader.kill('SIGKILL');
      }
    });
    this.reader.unref();
    for (const pipe of [this.reader.stdin, this.reader.stdout, this.reader.stderr]) (pipe as Socket).unref();
    this.exited = new Promise((resolve) => this.reader.on('close', () => resolve()));
    this.failed = this.exited.then(() => {
      if (this.failure !== undefined) throw this.failure;
      throw new Error(this.closing ? 'the Java reader was closed' : `the Java reader of ${topics.join(', ')} exited:\n${this.stderr}`);
    });
    this.failed.catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.reader.stdin.end();
    const timer = setTimeout(() => this.reader.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
