import { Headers } from '../core/headers.js';
import type { RecordCollector } from '../processing/record-collector.js';
import { changelogTopicName, topicPartitionKey, type ChangelogWriter } from '../state/changelog.js';

/** A record the topology produced, to a sink topic or a changelog, still in bytes. */
export interface ProducedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** A changelog writer that also knows the next offset of each changelog it wrote, for the task's commit. */
export interface CollectingChangelogWriter extends ChangelogWriter {
  nextOffsets(): ReadonlyMap<string, number>;
}

/**
 * The driver's in-memory broker for output: every produced record (sink outputs and changelog writes alike) is
 * appended in production order, then `drain()` files the new ones under their topics for the test to read and
 * returns them so the driver can feed records of source topics back into the tasks.
 */
export class TestDriverOutput {
  private pending: ProducedRecord[] = [];
  private readonly topics = new Map<string, ProducedRecord[]>();
  private readonly changelogOffsets = new Map<string, number>();

  readonly recordCollector: RecordCollector = {
    send: (record) => {
      this.pending.push({ topic: record.topic, key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp });
    },
    partitionCount: () => 1,
  };

  constructor(private readonly applicationId: string) {}

  /** A changelog writer for one task; changelog topics have a single partition, 0, as every driver topic. */
  changelogWriter(): CollectingChangelogWriter {
    const written = new Set<string>();
    return {
      send: (storeName, key, value, timestampMs) => {
        const topic = changelogTopicName(this.applicationId, storeName);
        written.add(topic);
        this.changelogOffsets.set(topic, (this.changelogOffsets.get(topic) ?? 0) + 1);
        this.pending.push({ topic, key, value, headers: Headers.EMPTY, timestamp: timestampMs });
      },
      nextOffsets: () => new Map([...written].map((topic) => [topicPartitionKey(topic, 0), this.changelogOffsets.get(topic)!])),
    };
  }

  /** Files records produced since the last call under their topics and returns them, in production order. */
  drain(): ProducedRecord[] {
    const produced = this.pending;
    this.pending = [];
    for (const record of produced) {
      let queue = this.topics.get(record.topic);
      if (queue === undefined) this.topics.set(record.topic, (queue = []));
      queue.push(record);
    }
    return produced;
  }

  read(topic: string): ProducedRecord | undefined {
    return this.topics.get(topic)?.shift();
  }

  queueSize(topic: string): number {
    return this.topics.get(topic)?.length ?? 0;
  }

  topicNames(): Set<string> {
    return new Set(this.topics.keys());
  }
}
