import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, type StreamsState } from '../../../src/index.js';
import { buildQueryableClicksTopology, MINUTE_MS, PER_MINUTE_STORE, TOTAL_STORE } from '../../../examples/queryable-clicks.js';
import { freePorts } from '../../unit/runtime/queries/free-ports.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/**
 * Three instances on the broker, each with its query server: every key answered from whichever instance is asked
 * (the gateway forwards to the holder, which the answer names), and during a rebalance (an instance leaving) an
 * instance answers 503 with Retry-After — never a wrong count or an empty answer.
 */

const USERS = Array.from({ length: 9 }, (_, i) => `user-${i}`);

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { readonly value?: number; readonly host?: string; readonly error?: string; readonly windows?: unknown };
}

async function get(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

test('three instances answer any key through the gateway, and a retryable 503 during a rebalance', async () => {
  const client = kafka();
  const input = uniqueName('iq-clicks');
  const applicationId = uniqueName('iq-app');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 6 }], waitForLeaders: true });
  const ports = await freePorts(3);
  const stateDirs = ports.map(() => tempStateDir());
  const instances = ports.map((port, i) =>
    new KafkaStreams(buildQueryableClicksTopology(input), streamsConfig(applicationId, stateDirs[i]!, {
      commitIntervalMs: 100,
      applicationServer: `127.0.0.1:${port}`,
      queryServer: { port, host: '127.0.0.1' },
    })),
  );
  const producer = client.producer();
  const duringRebalance: Answer[] = [];
  try {
    await Promise.all(instances.map((s) => s.start()));
    await producer.connect();
    const minute = Math.floor((Date.now() - MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    await producer.send({ topic: input, messages: USERS.flatMap((user, i) => Array.from({ length: i + 1 }, (_, n) => ({ key: user, value: 'click', timestamp: String(minute + n) }))) });
    await Promise.all(instances.map((s) => awaitState(s, 'RUNNING')));

    // user-i clicked i+1 times; asked at the first instance, each answer names the instance holding the user.
    await eventually('every total answered through the first instance', async () => {
      const answers = await Promise.all(USERS.map((user) => get(ports[0]!, `/stores/${TOTAL_STORE}/keys/${user}`)));
      return answers.every((a, i) => a.status === 200 && a.body.value === i + 1);
    }, 60_000);
    const hosts = new Set<string>();
    for (const [i, user] of USERS.entries()) {
      const answer = await get(ports[0]!, `/stores/${TOTAL_STORE}/keys/${user}`);
      assert.equal(answer.body.value, i + 1);
      hosts.add(answer.body.host!);
      const port = Number(answer.body.host!.split(':')[1]);
      const holder = instances[ports.indexOf(port)]!;
      assert.equal(holder.store<string, number>(TOTAL_STORE).get(user), i + 1, `${user} is in the store of ${answer.body.host}`);
      const windows = await get(ports[0]!, `/stores/${PER_MINUTE_STORE}/keys/${user}/windows?from=${minute}&to=${minute}`);
      assert.deepEqual(windows.body.windows, [{ windowStart: minute, value: i + 1 }]);
    }
    assert.ok(hosts.size >= 2 && !hosts.has(undefined as unknown as string), `keys answered from other instances too: ${[...hosts].join(', ')}`);

    // The third instance leaves: as soon as the first one sees the rebalance, ask it (and keep asking until it runs again).
    let asked = (_done: Promise<void>): void => undefined;
    const asking = new Promise<Promise<void>>((resolve) => (asked = resolve));
    instances[0]!.setStateListener((next: StreamsState) => {
      if (next !== 'REBALANCING') return;
      asked((async () => {
        do duringRebalance.push(await get(ports[0]!, `/stores/${TOTAL_STORE}/keys/${USERS.at(-1)!}`));
        while (instances[0]!.state() === 'REBALANCING');
      })());
    });
    await instances[2]!.close();
    const askedUntilRunning = await asking;
    await askedUntilRunning;
    assert.ok(duringRebalance.length > 0, 'the first instance was asked during the rebalance');
    for (const answer of duringRebalance) {
      if (answer.status === 200) assert.equal(answer.body.value, USERS.length, 'an answer during the rebalance is the right count');
      else {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal(answer.retryAfter, '1');
        assert.equal(answer.body.error, 'STORE_NOT_AVAILABLE');
      }
    }
    assert.ok(duringRebalance.some((a) => a.status === 503), 'a rebalance answers "not available, retry"');
    await eventually('every total answered again after the rebalance', async () => {
      const answers = await Promise.all(USERS.map((user) => get(ports[1]!, `/stores/${TOTAL_STORE}/keys/${user}`)));
      return answers.every((a, i) => a.status === 200 && a.body.value === i + 1);
    }, 60_000);
  } finally {
    await producer.disconnect();
    await Promise.all(instances.map((s) => s.close()));
    await deleteTopics(client, { prefix: applicationId, names: [input] }).catch(() => undefined);
    await admin.disconnect();
    stateDirs.forEach(removeDir);
  }
});
