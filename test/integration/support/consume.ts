import { FollowingReader, type Isolation } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually } from './broker.js';

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: { [key: string]: string };
}

/**
 * Reads `topic` from the beginning with Kafka's own Java consumer (`scripts/committed-reader`, a reader that shares
 * no code with the client kstreams runs on) until `done` holds for what was read. `readUncommitted` shows aborted
 * transactional records too.
 */
export async function consumeUntil(
  topic: string,
  done: (messages: ConsumedMessage[]) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<ConsumedMessage[]> {
  const messages: ConsumedMessage[] = [];
  const isolation: Isolation = options.readUncommitted ? 'read_uncommitted' : 'read_committed';
  const reader = new FollowingReader(brokers().join(','), [topic], (record) => {
    const headers: { [key: string]: string } = {};
    for (const [key, value] of record.headers) headers[key] = value?.toString() ?? '';
    messages.push({ partition: record.partition, offset: String(record.offset), key: record.key?.toString() ?? null, value: record.value?.toString() ?? null, headers });
  }, isolation);
  try {
    await Promise.race([eventually(`messages of ${topic}`, () => done(messages), options.timeoutMs ?? 30_000), reader.failed]);
    return messages;
  } finally {
    await reader.close();
  }
}
