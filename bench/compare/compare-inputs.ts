/** The input topics of the comparison, each pre-produced once and read by both systems. */
import type { Kafka } from 'kafkajs';
import { createTopics, endOffsets, produce } from '../broker/broker-ops.js';
import { produceStandardInput, type InputTopic } from '../broker/standard-input.js';
import { inputKey, inputPage, pageValue, WINDOW_GRACE_MS, WINDOW_SIZE_MS } from '../broker/workloads.js';

export const PARTITIONS = 4;

export type InputShape = '100 B' | '1 KB' | 'windowed' | 'distinct keys';

/** Event time between two consecutive records of the windowed input: 60,000 records per 1-minute window. */
export const EVENT_MS_PER_RECORD = 1;
/**
 * The windowed input is written one request at a time: concurrent kafkajs sends land up to ~20 s of event time out
 * of order within a partition, beyond the grace, and both systems would rightly drop those records as late.
 */
const ONE_REQUEST_AT_A_TIME = 1;
/** Bytes of a windowed input value. */
const WINDOWED_VALUE_BYTES = 100;

/** The size of one value of `shape`, for the report. */
export function valueLabel(shape: InputShape): string {
  return shape === 'windowed' ? `${WINDOWED_VALUE_BYTES} B` : shape === 'distinct keys' ? '1 B' : shape;
}

export async function produceInput(kafka: Kafka, shape: InputShape, name: string, records: number): Promise<InputTopic> {
  switch (shape) {
    case '100 B':
      return produceStandardInput(kafka, name, PARTITIONS, records, 100);
    case '1 KB':
      return produceStandardInput(kafka, name, PARTITIONS, records, 1024);
    case 'windowed':
      return produceWindowedInput(kafka, name, records);
    case 'distinct keys':
      return produceDistinctKeys(kafka, name, records);
  }
}

/**
 * The broker bench's users and pages, with event time moving `EVENT_MS_PER_RECORD` forward per record (1,000,000
 * records span about 17 windows), then one record per partition far enough ahead to close every window of its
 * partition. Those closing records are not counted in the expected output: their own windows stay open.
 */
async function produceWindowedInput(kafka: Kafka, name: string, records: number): Promise<InputTopic> {
  await createTopics(kafka, [{ name, partitions: PARTITIONS }]);
  const span = records * EVENT_MS_PER_RECORD;
  const closeAfter = WINDOW_SIZE_MS + WINDOW_GRACE_MS;
  // In the recent past, on a window boundary: inside the broker's retention and its limit on future timestamps.
  const base = Math.floor((Date.now() - span - 2 * closeAfter) / WINDOW_SIZE_MS) * WINDOW_SIZE_MS;
  const values = new Map<number, Buffer>();
  const valueOf = (page: number) => values.get(page) ?? values.set(page, pageValue(page, WINDOWED_VALUE_BYTES)).get(page)!;
  await produce(kafka, name, records, WINDOWED_VALUE_BYTES, (i) => ({
    key: inputKey(i),
    value: valueOf(inputPage(i)),
    timestamp: String(base + i * EVENT_MS_PER_RECORD),
  }), ONE_REQUEST_AT_A_TIME);
  const closing = String(base + span + closeAfter);
  await produce(kafka, name, PARTITIONS, WINDOWED_VALUE_BYTES, (partition) => ({
    partition,
    key: `closes-windows-${partition}`,
    value: valueOf(0),
    timestamp: closing,
  }));
  return { name, valueBytes: WINDOWED_VALUE_BYTES, ends: await endOffsets(kafka, name) };
}

/** `records` distinct keys, each once: their count store's changelog is what the restoration replays. */
async function produceDistinctKeys(kafka: Kafka, name: string, records: number): Promise<InputTopic> {
  await createTopics(kafka, [{ name, partitions: PARTITIONS }]);
  const width = String(records).length;
  const value = Buffer.from('v');
  await produce(kafka, name, records, 16 + width, (i) => ({ key: `key-${String(i).padStart(width, '0')}`, value }));
  return { name, valueBytes: 1, ends: await endOffsets(kafka, name) };
}
