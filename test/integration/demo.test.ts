import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { expectedResults, sampleClicks } from '../../scripts/demo/sample-clicks.js';
import { brokers, kafka } from './support/broker.js';

test('npm run demo processes every sample click exactly once and cleans up after itself', async () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    env: { ...process.env, KAFKA_BROKERS: brokers().join(',') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `the demo exited with ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);

  const summary = /^DEMO OK app=(\S+) sent=(\d+) users=(\d+) clicks=(\d+) rejected=(\d+) pages=(\d+)$/m.exec(run.stdout);
  assert.ok(summary, `no DEMO OK line in:\n${run.stdout}`);
  const [, applicationId, sent, users, clicks, rejected, pages] = summary;
  const samples = sampleClicks();
  const expected = expectedResults(samples);
  assert.deepEqual(
    { sent: Number(sent), users: Number(users), clicks: Number(clicks), rejected: Number(rejected), pages: Number(pages) },
    { sent: samples.length, users: expected.clicksPerUser.size, clicks: expected.humanClicks, rejected: expected.rejected, pages: expected.pageStats.size },
  );
  assert.ok(expected.bots > 0 && expected.rejected > 0, 'the samples include bots and malformed events');

  const admin = kafka().admin();
  await admin.connect();
  try {
    const leftovers = (await admin.listTopics()).filter((topic) => topic.startsWith(`${applicationId}-`));
    assert.deepEqual(leftovers, []);
  } finally {
    await admin.disconnect();
  }
});
