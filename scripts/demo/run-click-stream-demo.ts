import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { buildClickStreamTopology, CLICKS_PER_USER_STORE, PAGE_STATS_STORE, type ClickStreamTopics, type PageStats } from '../../examples/click-stream.js';
import { formatTopologyText, KafkaStreams } from '../../src/index.js';
import type { CleanupStack } from './cleanup-stack.js';
import { createDemoTopics, deleteDemoLeftovers, demoTopics } from './demo-topics.js';
import { ResultsReader, type LatestResults } from './results-reader.js';
import { formatFinalResults, LiveResultsPrinter, type StoreAnswers } from './results-table.js';
import { expectedResults, sampleClicks, type ExpectedResults, type SampleClick } from './sample-clicks.js';
import { messageOf, withTimeout } from './with-timeout.js';

export interface DemoSummary {
  readonly applicationId: string;
  readonly sent: number;
  readonly users: number;
  readonly clicks: number;
  readonly rejected: number;
  readonly pages: number;
}

const PRODUCE_BATCH = 50;
const PRODUCE_PAUSE_MS = 150;
const RESULTS_TIMEOUT_MS = 30_000;

/**
 * One run of the click-stream example on a real broker under exactly-once: fresh topics named after a random
 * application id, sample clicks in, live results out, then the final results checked against what was sent and
 * against the application's stores. Everything it creates is registered on `cleanup`.
 */
export async function runClickStreamDemo(brokers: string, cleanup: CleanupStack): Promise<DemoSummary> {
  const applicationId = `kstreams-demo-${randomBytes(4).toString('hex')}`;
  const topics = demoTopics(applicationId);
  const kafka = new Kafka({ clientId: `${applicationId}-driver`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  cleanup.push('disconnecting the admin client', () => admin.disconnect());
  cleanup.push(`deleting the topics and groups of ${applicationId}`, () => deleteDemoLeftovers(admin, applicationId));
  await createDemoTopics(admin, topics);
  console.log(`application id ${applicationId}, topics ${Object.values(topics).join(', ')}\n`);

  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-demo-'));
  cleanup.push('removing the state directory', async () => rmSync(stateDir, { recursive: true, force: true }));
  const { streams, failed } = await startStreams(applicationId, brokers, stateDir, topics, cleanup);

  const clicks = sampleClicks();
  const expected = expectedResults(clicks);
  const reader = new ResultsReader(brokers, topics, () => printer.changed());
  const printer = new LiveResultsPrinter(reader.latest, expected);
  cleanup.push('stopping the results reader', () => reader.stop());
  reader.start();

  await produceClicks(kafka, topics.clicks, clicks);
  await awaitExpectedResults(reader, expected, failed);
  printer.flush();

  const answers = queryStores(streams, expected);
  console.log(formatFinalResults(reader.latest, answers));
  verifyStoreAnswers(answers, expected);
  return {
    applicationId,
    sent: clicks.length,
    users: reader.latest.clicksPerUser.size,
    clicks: [...reader.latest.clicksPerUser.values()].reduce((a, b) => a + b, 0),
    rejected: reader.latest.rejected,
    pages: reader.latest.pageStats.size,
  };
}

/** Starts the app; `failed` rejects with the fatal error if the app ends up in ERROR. */
async function startStreams(applicationId: string, brokers: string, stateDir: string, topics: ClickStreamTopics, cleanup: CleanupStack) {
  const topology = buildClickStreamTopology(topics);
  console.log(formatTopologyText(topology.describe()));
  const logLevelName = process.env.KSTREAMS_LOG;
  const streams = new KafkaStreams(topology, {
    applicationId,
    bootstrapServers: brokers,
    processingGuarantee: 'exactly_once',
    stateDir,
    // Logs go to stderr, so the demo's own output stays readable.
    ...(logLevelName ? { logger: pino({ level: logLevelName }, pino.destination(2)) } : {}),
  });
  let fatal: unknown;
  streams.setUncaughtExceptionHandler((error) => {
    fatal = error;
    return 'SHUTDOWN_CLIENT';
  });
  const failed = new Promise<never>((_resolve, reject) => {
    streams.setStateListener((next, previous) => {
      console.log(`  streams: ${previous} -> ${next}`);
      if (next === 'ERROR') reject(new Error(`the streams application failed: ${fatal === undefined ? 'rerun with KSTREAMS_LOG=info' : messageOf(fatal)}`));
    });
  });
  failed.catch(() => undefined);
  cleanup.push('closing the streams application', async () => {
    if (!(await streams.close({ timeoutMs: 15_000 }))) throw new Error('it did not finish within 15 s');
  });
  await streams.start();
  return { streams, failed };
}

/** Sends in a few batches with short pauses, so the live results visibly grow as input arrives. */
async function produceClicks(kafka: Kafka, topic: string, clicks: readonly SampleClick[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let from = 0; from < clicks.length; from += PRODUCE_BATCH) {
      const batch = clicks.slice(from, from + PRODUCE_BATCH);
      await producer.send({ topic, messages: batch.map((c) => ({ key: c.sessionId, value: JSON.stringify(c.event) })) });
      console.log(`  sent ${from + batch.length}/${clicks.length} click events`);
      await new Promise((resolve) => setTimeout(resolve, PRODUCE_PAUSE_MS));
    }
  } finally {
    await producer.disconnect();
  }
}

function matchesExpected(latest: LatestResults, expected: ExpectedResults): boolean {
  return (
    latest.rejected === expected.rejected &&
    isDeepStrictEqual(latest.clicksPerUser, expected.clicksPerUser) &&
    isDeepStrictEqual(latest.pageStats, expected.pageStats)
  );
}

async function awaitExpectedResults(reader: ResultsReader, expected: ExpectedResults, failed: Promise<never>): Promise<void> {
  const reached = Promise.race([reader.until((latest) => matchesExpected(latest, expected)), failed]);
  await withTimeout('waiting for the expected results', RESULTS_TIMEOUT_MS, reached).catch((error: unknown) => {
    const counted = [...reader.latest.clicksPerUser.values()].reduce((a, b) => a + b, 0);
    throw new Error(`${messageOf(error)} (counted ${counted}/${expected.humanClicks} clicks, rejected ${reader.latest.rejected}/${expected.rejected})`);
  });
}

/** Interactive queries: the app's own local stores, asked key by key and scanned whole. */
function queryStores(streams: KafkaStreams, expected: ExpectedResults): StoreAnswers {
  const perUser = streams.store<string, number>(CLICKS_PER_USER_STORE);
  const perPage = streams.store<string, PageStats>(PAGE_STATS_STORE);
  return {
    clicksPerUser: new Map([...expected.clicksPerUser.keys()].map((user) => [user, perUser.get(user)])),
    clicksPerUserScan: new Map([...perUser.all()].map((kv) => [kv.key, kv.value])),
    pageStats: new Map([...expected.pageStats.keys()].map((page) => [page, perPage.get(page)])),
  };
}

function verifyStoreAnswers(answers: StoreAnswers, expected: ExpectedResults): void {
  if (!isDeepStrictEqual(answers.clicksPerUser, expected.clicksPerUser) || !isDeepStrictEqual(answers.clicksPerUserScan, expected.clicksPerUser)) {
    throw new Error(`the ${CLICKS_PER_USER_STORE} store disagrees with what was sent: ${JSON.stringify(Object.fromEntries(answers.clicksPerUser))}`);
  }
  if (!isDeepStrictEqual(answers.pageStats, expected.pageStats)) {
    throw new Error(`the ${PAGE_STATS_STORE} store disagrees with what was sent: ${JSON.stringify(Object.fromEntries(answers.pageStats))}`);
  }
}
