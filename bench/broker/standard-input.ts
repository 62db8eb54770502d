import type { Kafka } from 'kafkajs';
import { createTopics, endOffsets, produce } from './broker-ops.js';
import { DISTINCT_KEYS, DISTINCT_PAGES, inputKey, inputPage, pageValue } from './workloads.js';

/** A pre-produced input topic. */
export interface InputTopic {
  readonly name: string;
  readonly valueBytes: number;
  /** End offset per partition once pre-produced. */
  readonly ends: ReadonlyMap<number, number>;
}

/** Creates `name` and writes `records` of the broker bench's input to it: user keys, values of `valueBytes` naming a page. */
export async function produceStandardInput(kafka: Kafka, name: string, partitions: number, records: number, valueBytes: number): Promise<InputTopic> {
  await createTopics(kafka, [{ name, partitions }]);
  const keys = Array.from({ length: DISTINCT_KEYS }, (_, i) => Buffer.from(inputKey(i)));
  const values = Array.from({ length: DISTINCT_PAGES }, (_, page) => pageValue(page, valueBytes));
  await produce(kafka, name, records, valueBytes, (i) => ({ key: keys[i % DISTINCT_KEYS]!, value: values[inputPage(i)]! }));
  return { name, valueBytes, ends: await endOffsets(kafka, name) };
}
