import { StreamsError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import type { KeyValue } from '../state/key-value.js';
import type { TestDriverOutput } from './test-driver-output.js';
import { TestRecord } from './test-record.js';

/** Reads, in production order, what the topology wrote to one topic of a `TopologyTestDriver`. */
export class TestOutputTopic<K, V> {
  constructor(
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly output: TestDriverOutput,
  ) {}

  /** Takes the next record; throws when the topic has none left. */
  readRecord(): TestRecord<K, V> {
    const produced = this.output.read(this.name);
    if (produced === undefined) throw new StreamsError('ILLEGAL_STATE', `Empty topic: ${this.name}`);
    const key = this.keySerde.deserialize(this.name, produced.key, produced.headers);
    const value = this.valueSerde.deserialize(this.name, produced.value, produced.headers);
    return new TestRecord(key, value, produced.timestamp, produced.headers);
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const { key, value } = this.readRecord();
    return { key, value };
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readRecordsToList(): Array<TestRecord<K, V>> {
    const records: Array<TestRecord<K, V>> = [];
    while (!this.isEmpty()) records.push(this.readRecord());
    return records;
  }

  readKeyValuesToList(): Array<KeyValue<K | null, V | null>> {
    return this.readRecordsToList().map(({ key, value }) => ({ key, value }));
  }

  readValuesToList(): Array<V | null> {
    return this.readRecordsToList().map(({ value }) => value);
  }

  /**
   * The latest value per key (a `null` value stays as `null`, as in Kafka Streams). Keys are compared as `Map`
   * keys, so use primitive keys. Throws on a `null` key.
   */
  readKeyValuesToMap(): Map<K, V | null> {
    const latest = new Map<K, V | null>();
    for (const { key, value } of this.readRecordsToList()) {
      if (key === null) throw new StreamsError('ILLEGAL_STATE', `Null keys not allowed with readKeyValuesToMap (topic ${this.name})`);
      latest.set(key, value);
    }
    return latest;
  }

  isEmpty(): boolean {
    return this.output.queueSize(this.name) === 0;
  }

  getQueueSize(): number {
    return this.output.queueSize(this.name);
  }
}
