import { Serdes } from '../../../src/core/serdes.js';
import type { RawRecord } from '../../../src/processing/raw-record.js';
import { buildClickCountsTumblingTopology, CLICK_COUNTS_TOPIC, CLICKS_TOPIC, GRACE_MS, WINDOW_SIZE_MS, windowedUserSerde } from '../../../examples/click-counts-tumbling.js';
import { buildOrderPaymentsTopology, ORDERS_TOPIC, PAID_TOPIC, PAYMENTS_TOPIC, UNPAID_TOPIC } from '../../../examples/order-payments.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../examples/word-count.js';
import type { Output, Workload } from './fault-run.js';

/** The workloads of the fault-schedule property test: small inputs, so that one run takes tens of milliseconds. */

const text = (buffer: Buffer | null): string => buffer?.toString() ?? 'null';
const long = (topic: string, record: RawRecord): number => Serdes.Long().deserialize(topic, record.value, record.headers)!;

const LINES = Array.from({ length: 8 }, (_, i) => `the fox ${i % 3} saw the dog ${i % 4}`);

function wordCount(guarantee: Workload['guarantee'], groupFencedTransactions = false): Workload {
  return {
    name: `word-count-${guarantee}${groupFencedTransactions ? '_v2' : ''}`,
    guarantee,
    groupFencedTransactions,
    topology: buildWordCountTopology,
    topics: [
      { name: INPUT_TOPIC, partitions: 2 },
      { name: OUTPUT_TOPIC, partitions: 2 },
    ],
    outputs: [OUTPUT_TOPIC],
    produceInput: (cluster) => cluster.produce(INPUT_TOPIC, LINES.map((value, i) => ({ key: `line-${i}`, value }))),
    show: (topic, record) => `${text(record.key)}=${long(topic, record)}`,
    // At-least-once may count a word again after a crash, never less: its highest count reaches the true one.
    lost: (expected, actual) => {
      const highest = (output: Output): Map<string, number> => {
        const counts = new Map<string, number>();
        for (const record of output.get(OUTPUT_TOPIC) ?? []) {
          const [word, count] = record.split('=') as [string, string];
          counts.set(word, Math.max(counts.get(word) ?? 0, Number(count)));
        }
        return counts;
      };
      const got = highest(actual);
      const short = [...highest(expected)].filter(([word, n]) => (got.get(word) ?? 0) < n).map(([word, n]) => `${word}: ${got.get(word) ?? 0} of ${n}`);
      return short.length === 0 ? undefined : `counts lost: ${short.join(', ')}`;
    },
  };
}

const MINUTE = 60_000;

/** Clicks in three 5-minute windows, each partition then closing them with a click long after (suppress emits on stream time). */
export const WINDOWED_COUNT: Workload = {
  name: 'click-counts',
  guarantee: 'exactly_once',
  groupFencedTransactions: false,
  topology: buildClickCountsTumblingTopology,
  topics: [
    { name: CLICKS_TOPIC, partitions: 2 },
    { name: CLICK_COUNTS_TOPIC, partitions: 2 },
  ],
  outputs: [CLICK_COUNTS_TOPIC],
  produceInput: (cluster) => {
    const clicks = Array.from({ length: 18 }, (_, i) => ({ key: `user-${i % 4}`, value: JSON.stringify({ page: `/p${i % 3}` }), partition: i % 2, timestamp: i * MINUTE }));
    const closing = [0, 1].map((partition) => ({ key: 'closer', value: JSON.stringify({ page: '/' }), partition, timestamp: 18 * MINUTE + WINDOW_SIZE_MS + GRACE_MS }));
    cluster.produce(CLICKS_TOPIC, [...clicks, ...closing]);
  },
  show: (topic, record) => {
    const key = windowedUserSerde.deserialize(topic, record.key, record.headers)!;
    return `${key.key}@${key.window.start}=${long(topic, record)}`;
  },
};

/** Orders, most paid within the window, some late or never (unpaid alerts once the window closed). */
export const ORDER_PAYMENTS: Workload = {
  name: 'order-payments',
  guarantee: 'exactly_once',
  groupFencedTransactions: false,
  topology: buildOrderPaymentsTopology,
  topics: [ORDERS_TOPIC, PAYMENTS_TOPIC, PAID_TOPIC, UNPAID_TOPIC].map((name) => ({ name, partitions: 2 })),
  outputs: [PAID_TOPIC, UNPAID_TOPIC],
  produceInput: (cluster) => {
    const orders = Array.from({ length: 10 }, (_, i) => ({ key: `order-${i}`, value: JSON.stringify({ customerId: `c${i % 3}`, amount: 10 + i }), timestamp: i * MINUTE }));
    const payments = orders.filter((_, i) => i % 3 !== 2).map((order, i) => ({ key: order.key, value: JSON.stringify({ amount: 10 + i, method: 'card' }), timestamp: order.timestamp + (i % 4) * 4 * MINUTE }));
    cluster.produce(ORDERS_TOPIC, orders);
    cluster.produce(PAYMENTS_TOPIC, payments);
    // Stream time far past every window in both partitions, so that the unpaid alerts are emitted.
    const later = 60 * MINUTE;
    cluster.produce(ORDERS_TOPIC, [0, 1].map((partition) => ({ key: `closer-${partition}`, value: JSON.stringify({ customerId: 'none', amount: 0 }), partition, timestamp: later })));
  },
  show: (_topic, record) => `${text(record.key)}=${text(record.value)}`,
};

export const WORD_COUNT_EXACTLY_ONCE = wordCount('exactly_once');
export const WORD_COUNT_AT_LEAST_ONCE = wordCount('at_least_once');

/** The exactly-once workloads again with KIP-447 clients: one producer and transaction per thread (`exactly_once_v2`). */
export const WORD_COUNT_EXACTLY_ONCE_V2 = wordCount('exactly_once', true);
export const WINDOWED_COUNT_V2: Workload = { ...WINDOWED_COUNT, name: 'click-counts_v2', groupFencedTransactions: true };
export const ORDER_PAYMENTS_V2: Workload = { ...ORDER_PAYMENTS, name: 'order-payments_v2', groupFencedTransactions: true };
