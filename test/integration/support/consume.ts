import type { Kafka } from 'kafkajs';
import { FAST_CONSUMER, eventually, uniqueName } from './broker.js';

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: { [key: string]: string };
}

/**
 * Reads `topic` from the beginning with a throwaway group until `done` holds for what was read.
 * `readUncommitted` shows aborted transactional records too.
 */
export async function consumeUntil(
  kafka: Kafka,
  topic: string,
  done: (messages: ConsumedMessage[]) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<ConsumedMessage[]> {
  const consumer = kafka.consumer({ ...FAST_CONSUMER, groupId: uniqueName('reader'), readUncommitted: options.readUncommitted ?? false });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: { [key: string]: string } = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        messages.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
        });
      },
    });
    await eventually(`messages of ${topic}`, () => done(messages), options.timeoutMs ?? 30_000);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
