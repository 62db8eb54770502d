import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, resetApplication } from '../../../src/index.js';
import { FollowingReader, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { ACCOUNTS_STORE, buildAccountBalancesTopology, type AccountBalancesTopics, type AccountEvent, type Balance, type Rejection } from '../../../examples/account-balances.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { testClientKind } from '../support/test-client.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/**
 * Replay of the event-sourcing example (`examples/account-balances.ts`) on the broker, exactly-once. Events of six
 * accounts, stamped five minutes apart over the last five hours, are folded into balances; then the application is
 * stopped and reset (`resetApplication`), and run again:
 * 1. reset to the earliest offsets and run as of a past point T: the balances and rejections are those of the
 *    events up to T, computed here independently of the example's code;
 * 2. reset to the date-time T2 and run in full: exactly the events stamped T2 or later are processed again, the
 *    earlier ones not at all — over state that no longer holds what came before (the reset removed it), so every
 *    one of them meets an account it does not know: reprocessing, not rebuilding.
 * Outputs are read read_committed by Kafka's own Java consumer; each event gives exactly one output record.
 */

const ACCOUNTS = 6;
const EVENTS = 60;
const STEP_MS = 5 * 60_000;

interface StampedEvent {
  readonly accountId: string;
  readonly event: AccountEvent;
  readonly timestamp: number;
}

/** Every account is created first; then deposits and withdrawals, some of them larger than the balance. */
function accountEvents(start: number): StampedEvent[] {
  return Array.from({ length: EVENTS }, (_, i) => {
    const accountId = `acc-${i % ACCOUNTS}`;
    const eventId = `e${i}`;
    const event: AccountEvent =
      i < ACCOUNTS ? { type: 'created', eventId, owner: `owner-${i}` } : i % 3 === 0 ? { type: 'withdrawn', eventId, amount: ((i * 37) % 9 + 1) * 100 } : { type: 'deposited', eventId, amount: ((i * 13) % 5 + 1) * 100 };
    return { accountId, event, timestamp: start + i * STEP_MS };
  });
}

/** The expected outcome, folded here without the example's code: latest balance per account, rejected event ids. */
function expectedOutcome(events: readonly StampedEvent[]): { balances: Map<string, number>; rejected: string[] } {
  const balances = new Map<string, number>();
  const rejected: string[] = [];
  for (const { accountId, event } of events) {
    const balance = balances.get(accountId);
    if (event.type === 'created') balances.set(accountId, 0);
    else if (event.type === 'deposited') balances.set(accountId, balance! + event.amount);
    else if (event.amount <= balance!) balances.set(accountId, balance! - event.amount);
    else rejected.push(event.eventId);
  }
  return { balances, rejected: rejected.sort() };
}

/** The outputs of one run: the latest balance per account, the rejected event ids, and every event id seen. */
function outcomeOf(records: readonly ReadRecord[], topics: AccountBalancesTopics): { balances: Map<string, number>; rejected: string[]; eventIds: string[] } {
  const balances = new Map<string, number>();
  const rejected: string[] = [];
  const eventIds: string[] = [];
  for (const r of records) {
    const value = JSON.parse(r.value!.toString()) as Balance | Rejection;
    if (r.topic === topics.balances) {
      const balance = value as Balance;
      balances.set(r.key!.toString(), balance.balance);
      eventIds.push(balance.lastEventId);
    } else {
      rejected.push((value as Rejection).eventId);
      eventIds.push((value as Rejection).eventId);
    }
  }
  return { balances, rejected: rejected.sort(), eventIds: eventIds.sort() };
}

test('account balances replayed after a reset: rebuilt as of a past point, and reprocessed from a date-time', async () => {
  const client = kafka();
  const applicationId = uniqueName('accounts-app');
  const topics: AccountBalancesTopics = { events: uniqueName('accounts-events'), balances: uniqueName('accounts-balances'), rejections: uniqueName('accounts-rejections') };
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [topics.events, topics.balances, topics.rejections].map((topic) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
  const events = accountEvents(Date.now() - EVENTS * STEP_MS);
  const outputs: ReadRecord[] = [];
  const reader = new FollowingReader(brokers().join(','), [topics.balances, topics.rejections], (record) => outputs.push(record));
  let streams: KafkaStreams | undefined;
  /** Runs the application until `count` more outputs arrived; returns them. */
  const run = async (asOfMs?: number, count = EVENTS): Promise<ReadRecord[]> => {
    const before = outputs.length;
    streams = new KafkaStreams(buildAccountBalancesTopology({ topics, ...(asOfMs === undefined ? {} : { asOfMs }) }), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once' }));
    await streams.start();
    await Promise.race([eventually(() => `${count} outputs (have ${outputs.length - before})`, () => outputs.length - before >= count, 90_000), reader.failed]);
    await awaitState(streams, 'RUNNING');
    return outputs.slice(before);
  };
  const stop = async () => {
    assert.equal(await streams!.close(), true);
    streams = undefined;
  };
  try {
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: topics.events, messages: events.map((e) => ({ key: e.accountId, value: JSON.stringify(e.event), timestamp: String(e.timestamp) })) });
    await producer.disconnect();

    const full = expectedOutcome(events);
    assert.ok(full.rejected.length > 0, 'the events hold overdrafts');
    const first = outcomeOf(await run(), topics);
    assert.deepEqual({ balances: first.balances, rejected: first.rejected }, full);
    await stop();

    // 1. As of T: from the earliest offsets, over no state, folding the events up to T.
    const asOf = events[35]!.timestamp;
    const reset = await resetApplication({ applicationId, bootstrapServers: brokers(), client: testClientKind(), inputTopics: [topics.events], stateDir });
    assert.deepEqual(reset.inputOffsets.map((o) => o.offset), [0, 0]);
    assert.equal(reset.inputOffsets.reduce((sum, o) => sum + (o.committed ?? 0), 0), EVENTS, 'the first run had committed every event');
    assert.deepEqual(reset.internalTopics, [`${applicationId}-${ACCOUNTS_STORE}-changelog`]);
    assert.notEqual(reset.stateDirectory, null);
    const upToT = events.filter((e) => e.timestamp <= asOf);
    const rebuilt = outcomeOf(await run(asOf, upToT.length), topics);
    const expectedAsOf = expectedOutcome(upToT);
    assert.deepEqual({ balances: rebuilt.balances, rejected: rebuilt.rejected }, expectedAsOf);
    assert.notDeepEqual(expectedAsOf.balances, full.balances, 'the past state differs from the present one');
    const store = streams!.store<string, { account: Balance | null }>(ACCOUNTS_STORE);
    for (const [accountId, balance] of expectedAsOf.balances) assert.equal(store.get(accountId)?.account?.balance, balance, accountId);
    await stop();

    // 2. From the date-time T2 on: exactly the events stamped T2 or later are processed again.
    const from = events[45]!.timestamp;
    const since = events.filter((e) => e.timestamp >= from);
    await resetApplication({ applicationId, bootstrapServers: brokers(), client: testClientKind(), inputTopics: [topics.events], stateDir, to: { datetime: new Date(from) } });
    const reprocessed = outcomeOf(await run(undefined, since.length), topics);
    assert.deepEqual(reprocessed.eventIds, since.map((e) => e.event.eventId).sort());
    assert.deepEqual(reprocessed.rejected, reprocessed.eventIds, 'no account was created since T2');
    await stop();
    assert.equal(outputs.length, EVENTS + upToT.length + since.length, 'no output twice');
  } finally {
    await streams?.close();
    await reader.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: Object.values(topics) });
    removeDir(stateDir);
  }
});
