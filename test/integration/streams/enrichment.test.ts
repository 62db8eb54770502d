import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams } from '../../../src/index.js';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { buildClickEnrichmentTopology, PAGES_STORE, USERS_STORE, type ClickEnrichmentTopics, type EnrichedClick, type Page, type UserProfile } from '../../../examples/click-enrichment.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/**
 * The click-enrichment example (`examples/click-enrichment.ts`: clicks ⟕ users table ⋈ pages GlobalKTable) on the
 * broker, exactly-once, across two instances: the clicks and users topics are co-partitioned (4 partitions), the
 * pages topic is not (3), and every instance holds every page. Updates of both tables reach the clicks that follow
 * them; the output, read read_committed by Kafka's own Java consumer, holds each click exactly once.
 */

const USERS = 20;
const PAGES = 12;
const CLICKS_PER_ROUND = 200;

const userName = (user: number, round: number) => `user-${user}-v${round}`;
const pageTitle = (page: number, round: number) => `page-${page}-v${round}`;

interface ClickInput {
  readonly user: number;
  readonly page: number;
}

/** Users 0..USERS-1 have profiles, USERS..USERS+4 do not; pages 0..PAGES-1 exist, PAGES does not. */
function clicks(round: number): ClickInput[] {
  return Array.from({ length: CLICKS_PER_ROUND }, (_, i) => ({ user: (i * 7 + round) % (USERS + 5), page: (i * 5 + round) % (PAGES + 1) }));
}

function expectedClick({ user, page }: ClickInput, round: number): EnrichedClick | null {
  if (page >= PAGES) return null;
  const known = user < USERS;
  return {
    userId: `u${user}`,
    user: known ? userName(user, round) : 'anonymous',
    region: known ? `region-${user % 3}` : 'unknown',
    page: `/p${page}`,
    title: pageTitle(page, round),
    section: `section-${page % 2}`,
  };
}

test('click enrichment with a user table and a GlobalKTable, exactly-once on two instances: every click enriched once with the rows current before it', async () => {
  const client = kafka();
  const applicationId = uniqueName('enrich-app');
  const topics: ClickEnrichmentTopics = { clicks: uniqueName('enrich-clicks'), users: uniqueName('enrich-users'), pages: uniqueName('enrich-pages'), enriched: uniqueName('enrich-out') };
  const dirs = [tempStateDir(), tempStateDir()];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: topics.clicks, numPartitions: 4 },
      { topic: topics.users, numPartitions: 4, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: topics.pages, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: topics.enriched, numPartitions: 2 },
    ],
    waitForLeaders: true,
  });
  const producer = client.producer();
  await producer.connect();
  const send = (topic: string, messages: Array<{ key: string; value: unknown; timestamp: number }>) =>
    producer.send({ topic, messages: messages.map(({ key, value, timestamp }) => ({ key, value: JSON.stringify(value), timestamp: String(timestamp) })) });
  const baseMs = Date.now() - 3_600_000;
  // Table rows of a round are stamped before its clicks: a stream-table join sees the rows older than each click.
  const tablesOf = async (round: number) => {
    await send(topics.users, Array.from({ length: USERS }, (_, user) => ({ key: `u${user}`, value: { name: userName(user, round), region: `region-${user % 3}` } satisfies UserProfile, timestamp: baseMs + round * 10_000 })));
    await send(topics.pages, Array.from({ length: PAGES }, (_, page) => ({ key: `/p${page}`, value: { title: pageTitle(page, round), section: `section-${page % 2}` } satisfies Page, timestamp: baseMs + round * 10_000 })));
  };
  const clicksOf = (round: number) =>
    send(topics.clicks, clicks(round).map(({ user, page }, i) => ({ key: `u${user}`, value: { page: `/p${page}` }, timestamp: baseMs + round * 10_000 + 1 + i })));

  const instances = dirs.map((dir) => new KafkaStreams(buildClickEnrichmentTopology(topics), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once', commitIntervalMs: 200 })));
  const pagesSeenByAll = (round: number) => () =>
    instances.every((streams) => {
      const store = streams.store<string, Page>(PAGES_STORE);
      return Array.from({ length: PAGES }, (_, page) => store.get(`/p${page}`)?.title).every((title, page) => title === pageTitle(page, round));
    });
  // Each instance holds the users of its own tasks' partitions: together they hold them all.
  const usersSeen = (round: number) => () =>
    Array.from({ length: USERS }, (_, user) => user).every((user) => instances.some((streams) => streams.store<string, UserProfile>(USERS_STORE).get(`u${user}`)?.name === userName(user, round)));
  try {
    // Round 0 is all on the broker before the instances start: each new task must read the users it has a backlog
    // of before it joins the clicks behind them (Kafka Streams' KIP-695 wait; `InputBacklog`).
    await tablesOf(0);
    await clicksOf(0);
    await Promise.all(instances.map((streams) => streams.start()));
    await Promise.all(instances.map((streams) => awaitState(streams, 'RUNNING')));
    await eventually('tasks spread over both instances', () => instances.every((s) => s.state() === 'RUNNING' && s.metrics().tasks.size > 0) && instances.reduce((n, s) => n + s.metrics().tasks.size, 0) === 4, 60_000);
    // Each instance restored the whole global table before it ran, whichever of its partitions it processes.
    assert.ok(pagesSeenByAll(0)(), 'every instance holds every page once running');

    const sortedJson = (values: readonly EnrichedClick[]) => values.map((value) => JSON.stringify(value)).sort();
    let output: EnrichedClick[] = [];
    const awaitOutput = (expected: readonly EnrichedClick[]) =>
      eventually(() => `${expected.length} enriched clicks (have ${output.length})`, async () => {
        output = (await readToEnd(brokers().join(','), [topics.enriched])).map((record) => JSON.parse(record.value!.toString()) as EnrichedClick);
        return output.length >= expected.length;
      }, 60_000);
    const expectedUpTo = (last: number) => Array.from({ length: last + 1 }, (_, round) => round).flatMap((round) => clicks(round).flatMap((click) => expectedClick(click, round) ?? []));

    // A round's table updates wait for the clicks before them to be out: nothing orders a table update after a click
    // of another partition (or a global update after any click), so a click still buffered would see the new rows.
    await awaitOutput(expectedUpTo(0));
    await tablesOf(1);
    // The global table is read by its own consumer, apart from the clicks: both instances must see the new pages.
    await eventually('both instances see the updated pages', pagesSeenByAll(1), 30_000);
    await eventually('the updated users are in the tasks\' stores', usersSeen(1), 30_000);
    await clicksOf(1);

    const expected = expectedUpTo(1);
    await awaitOutput(expected);
    assert.deepEqual(sortedJson(output), sortedJson(expected));
    assert.ok(expected.some((click) => click.user === 'anonymous') && expected.length < 2 * CLICKS_PER_ROUND, 'the input had clicks by unknown users and on unknown pages');
  } finally {
    await producer.disconnect();
    await Promise.all(instances.map((s) => s.close()));
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: Object.values(topics) });
    dirs.forEach(removeDir);
  }
});
