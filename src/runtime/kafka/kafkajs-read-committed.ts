import { createRequire } from 'node:module';
import { abortedRecordIndexes, type AbortedTransaction, type FetchedRecord } from './aborted-transactions.js';

interface FetchedPartition {
  abortedTransactions?: AbortedTransaction[] | null;
  messages: FetchedRecord[];
}

interface FetchResponse {
  responses?: Array<{ partitions: FetchedPartition[] }>;
}

type Fetch = (this: unknown, request: unknown) => Promise<FetchResponse>;

const PATCHED = Symbol.for('kstreams.kafkajsReadCommitted');

/**
 * kafkajs 2.2.4 filters aborted transactions in `Batch` with a walk that assumes the broker lists them in offset
 * order and lets at most one start per record: interleaved aborted transactions of several producers (a crash
 * aborting several tasks' transactions in a repartition topic) reach the application as if committed. The fix sits
 * one step earlier, on the decoded fetch response, so it holds whatever kafkajs module loaded first: records of
 * aborted transactions are marked as control records (kafkajs skips those but still moves its offset past them)
 * and the aborted list is emptied, which makes kafkajs' own filter a no-op.
 */
function filterAbortedRecords(response: FetchResponse): FetchResponse {
  for (const { partitions } of response.responses ?? []) {
    for (const partition of partitions) {
      const aborted = partition.abortedTransactions;
      if (!aborted || aborted.length === 0) continue;
      for (const index of abortedRecordIndexes(partition.messages, aborted)) {
        partition.messages[index] = { ...partition.messages[index]!, isControlRecord: true };
      }
      partition.abortedTransactions = [];
    }
  }
  return response;
}

/**
 * Makes every read_committed fetch of one kafkajs copy skip aborted transactions the way Kafka's own consumer does.
 * `resolveFrom` is where `kafkajs` is resolved from (a file path or URL; default: the copy kstreams uses). Safe to
 * call more than once; kstreams calls it for its own copy. Only kafkajs 2.2.4's module layout is known to work.
 */
export function fixKafkajsReadCommitted(resolveFrom: string | URL = import.meta.url): void {
  const require = createRequire(resolveFrom);
  const brokerPath = require.resolve('kafkajs/src/broker/index.js');
  const Broker = require(brokerPath) as { prototype: { fetch: Fetch; [PATCHED]?: true } };
  if (typeof Broker.prototype?.fetch !== 'function') {
    throw new Error(`kafkajs at ${brokerPath} has no Broker.fetch: this kafkajs version cannot be fixed for read_committed`);
  }
  if (Broker.prototype[PATCHED]) return;
  const original = Broker.prototype.fetch;
  Broker.prototype.fetch = async function fetch(this: unknown, request: unknown) {
    return filterAbortedRecords(await original.call(this, request));
  };
  Broker.prototype[PATCHED] = true;
}
