import { ConfigResourceTypes, describeConfigsV4, type Producer } from '@platformatic/kafka';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import { ProductionFailure } from '../client/production-failure.js';

/** What the broker checks of each record batch sent to a topic. */
export interface TopicLimits {
  /** `max.message.bytes`: the largest record batch it appends, overhead included. */
  readonly maxBatchBytes: number;
  /** `cleanup.policy` includes `compact`: a record without a key is refused. */
  readonly compacted: boolean;
}

/** A record the adapter refused itself, before the library numbered it: the producer's sequence numbers are intact. */
export class RefusedBeforeSending extends ProductionFailure {
  constructor(message: string) {
    super('record', message);
  }
}

/** When a topic's settings cannot be read, only the broker checks its records. */
const UNCHECKED: TopicLimits = { maxBatchBytes: Number.POSITIVE_INFINITY, compacted: false };

/** The fixed part of a record batch (magic 2), from its base offset to its record count. */
const BATCH_OVERHEAD_BYTES = 61;

/** The bytes of `value` as a zigzag varint, as Kafka encodes the lengths inside a record. */
function varintBytes(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    bytes++;
  }
  return bytes;
}

const bytesField = (bytes: Buffer | null): number => (bytes === null ? varintBytes(-1) : varintBytes(bytes.length) + bytes.length);

/**
 * The size of a batch holding `record` alone, uncompressed, as the broker measures it against `max.message.bytes`:
 * the batch overhead, then the record's length, attributes, timestamp and offset deltas (0 in a batch of one), key,
 * value and headers.
 */
export function singleRecordBatchBytes(record: OutgoingRecord): number {
  let body = 1 + varintBytes(0) + varintBytes(0) + bytesField(record.key) + bytesField(record.value) + varintBytes(record.headers.size);
  for (const { key, value } of record.headers) body += bytesField(Buffer.from(key)) + bytesField(value);
  return BATCH_OVERHEAD_BYTES + varintBytes(body) + body;
}

/**
 * Why the broker would refuse `record` whatever batch it travels in, or `undefined`. The adapter refuses such records
 * itself, before the library numbers them: inside a transaction the library never takes back the sequence numbers
 * of a refused batch, so the producer's next batch to that partition would fail with OUT_OF_ORDER_SEQUENCE_NUMBER
 * and the rest of the transaction with it. Refused here, the record never gets a number, and the production
 * handler decides about it as about a refusal by the broker (same kind, same broker error name).
 */
export function refusal(record: OutgoingRecord, limits: TopicLimits): RefusedBeforeSending | undefined {
  if (limits.compacted && record.key === null) {
    return new RefusedBeforeSending(`send failed (INVALID_RECORD): topic ${record.topic} is compacted and refuses records without a key`);
  }
  const bytes = singleRecordBatchBytes(record);
  if (bytes > limits.maxBatchBytes) {
    return new RefusedBeforeSending(`send failed (MESSAGE_TOO_LARGE): a record of ${bytes} bytes is over ${record.topic}'s max.message.bytes (${limits.maxBatchBytes})`);
  }
  return undefined;
}

/**
 * The limits of the topics one producer writes to, read once per topic (DescribeConfigs, through the producer's
 * own connections) and kept: they are settings that change rarely, and a change that makes the broker refuse a
 * record still reaches the runtime as the broker's own refusal.
 */
export class TopicLimitsCache {
  private readonly limits = new Map<string, Promise<TopicLimits>>();

  constructor(private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>) {}

  /** The first record of `records` the broker would refuse, as its refusal; `undefined` when there is none. */
  async check(records: readonly OutgoingRecord[]): Promise<RefusedBeforeSending | undefined> {
    const topics = [...new Set(records.map((r) => r.topic))];
    const limits = new Map(await Promise.all(topics.map(async (topic) => [topic, await this.of(topic)] as const)));
    for (const record of records) {
      const refused = refusal(record, limits.get(record.topic)!);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }

  private of(topic: string): Promise<TopicLimits> {
    let limits = this.limits.get(topic);
    if (limits === undefined) {
      limits = this.describe(topic);
      this.limits.set(topic, limits);
      // A failed look-up is not kept, and checks nothing: the next send asks again, the broker checks this one.
      limits = limits.catch(() => {
        this.limits.delete(topic);
        return UNCHECKED;
      });
    }
    return limits;
  }

  private async describe(topic: string): Promise<TopicLimits> {
    const connections = await this.producer.connectToBrokers(null);
    const any = connections.values().next();
    if (any.done === true) throw new Error(`no broker known to read the settings of topic ${topic}`);
    const resource = { resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: ['max.message.bytes', 'cleanup.policy'] };
    const { results } = await describeConfigsV4.api.async(any.value, [resource], false, false);
    const configs = new Map((results[0]?.configs ?? []).map((c) => [c.name, c.value ?? '']));
    const maxBatchBytes = Number(configs.get('max.message.bytes'));
    return {
      maxBatchBytes: Number.isSafeInteger(maxBatchBytes) && maxBatchBytes > 0 ? maxBatchBytes : UNCHECKED.maxBatchBytes,
      compacted: (configs.get('cleanup.policy') ?? '').split(',').some((policy) => policy.trim() === 'compact'),
    };
  }
}
