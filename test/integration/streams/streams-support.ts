import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { Serdes, StreamsBuilder, type KafkaStreams, type StreamsConfig, type StreamsState, type Topology } from '../../../src/index.js';
import { FollowingReader } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually } from '../support/broker.js';
import { testClientKind } from '../support/test-client.js';

/** `KSTREAMS_TEST_LOG=info` shows the runtime's logs while debugging a test; silent otherwise. */
export const testLogger = pino({ level: process.env.KSTREAMS_TEST_LOG ?? 'silent' });

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'kstreams-it-'));
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** An application's config on the test broker, on the client adapter `KSTREAMS_CLIENT` names. */
export function streamsConfig(applicationId: string, stateDir: string, overrides: Partial<StreamsConfig> = {}): StreamsConfig {
  return { applicationId, bootstrapServers: brokers(), stateDir, logger: testLogger, client: testClientKind(), ...overrides };
}

/** Word count with a repartition topic (groupBy word) and a persistent count store. */
export function wordCountTopology(input: string, output: string, storeName = 'counts'): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((word) => word.length > 0))
    .groupBy((_key, word) => word, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count({ storeName })
    .toStream()
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

export async function produceLines(kafka: Kafka, topic: string, lines: ReadonlyArray<{ key: string; value: string; partition?: number }>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: lines.map((l) => ({ key: l.key, value: l.value, ...(l.partition === undefined ? {} : { partition: l.partition }) })) });
  } finally {
    await producer.disconnect();
  }
}

/** Reads `topic` read_committed (with the Java reader) from the beginning until the latest count per word equals `expected`. */
export async function awaitFinalCounts(topic: string, expected: ReadonlyMap<string, number>, timeoutMs = 60_000): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const reader = new FollowingReader(brokers().join(','), [topic], (record) => {
    latest.set(record.key!.toString(), Number(Serdes.Long().deserialize(topic, record.value)));
  });
  try {
    const reached = eventually(`final counts on ${topic}`, () => [...expected].every(([word, count]) => latest.get(word) === count), timeoutMs);
    await Promise.race([reached, reader.failed]).catch((error: Error) => {
      throw new Error(`${error.message}; latest counts: ${JSON.stringify(Object.fromEntries(latest))}`);
    });
    return latest;
  } finally {
    await reader.close();
  }
}

export function expectedCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of lines.flatMap((l) => l.toLowerCase().split(/\W+/).filter((w) => w.length > 0))) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

export async function awaitState(streams: KafkaStreams, state: StreamsState, timeoutMs = 60_000): Promise<void> {
  await eventually(`client state ${state} (is ${streams.state()})`, () => streams.state() === state, timeoutMs);
}

/** Deletes the topics a test and its application created, so runs leave nothing behind. */
export async function deleteTopics(kafka: Kafka, prefixOrNames: { prefix?: string; names?: readonly string[] }): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = await admin.listTopics();
    const doomed = all.filter((t) => (prefixOrNames.names ?? []).includes(t) || (prefixOrNames.prefix !== undefined && t.startsWith(prefixOrNames.prefix)));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  } finally {
    await admin.disconnect();
  }
}
