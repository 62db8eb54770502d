import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildQueryableClicksTopology, CLICKS_TOPIC, MINUTE_MS, PER_MINUTE_STORE, TOTAL_STORE } from '../../../../examples/queryable-clicks.js';
import { freePorts } from './free-ports.js';

/**
 * The HTTP query server of three instances on the in-memory cluster: whichever instance is asked, a key's value
 * comes from the instance holding it (forwarded one hop), a range collects every instance's share, windows come
 * back per window start, and a client still joining answers 503 with Retry-After.
 */

const USERS = Array.from({ length: 12 }, (_, i) => `user-${i}`);
const stateDirs: string[] = [];

function instance(cluster: InMemoryKafkaCluster, name: string, port: number): KafkaStreams {
  const stateDir = mkdtempSync(join(tmpdir(), `kstreams-iq-http-${name}-`));
  stateDirs.push(stateDir);
  const config = {
    applicationId: 'iq-http',
    stateDir,
    commitIntervalMs: 10,
    logLevel: 'silent',
    applicationServer: `127.0.0.1:${port}`,
    queryServer: { port, host: '127.0.0.1' },
  } as const;
  return new KafkaStreams(buildQueryableClicksTopology(), config, { client: cluster.client({ name }) });
}

async function get(port: number, path: string): Promise<{ status: number; retryAfter: string | null; body: { [field: string]: unknown } }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { [field: string]: unknown } };
}

test('any instance answers for any key through its query server: values, ranges and windows, 503 while joining', async (t) => {
  t.after(() => stateDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(CLICKS_TOPIC, 6);
  const ports = await freePorts(3);
  const instances = ports.map((port, i) => instance(cluster, `n${i}`, port));
  try {
    // The first instance's join is held until it has been asked: it is REBALANCING, with its query server up.
    let releaseJoin = (): void => undefined;
    const joinHeld = new Promise<void>((resolve) => (releaseJoin = resolve));
    let joinReached = (): void => undefined;
    const joinAsked = new Promise<void>((resolve) => (joinReached = resolve));
    cluster.faults.add({
      before: (op) => {
        if (op.kind !== 'joinGroup' || op.client !== 'n0') return undefined;
        joinReached();
        return joinHeld;
      },
    });
    const started = instances[0]!.start();
    await joinAsked;
    assert.equal(instances[0]!.state(), 'REBALANCING');
    const joining = await get(ports[0]!, `/stores/${TOTAL_STORE}/keys/user-0`);
    assert.equal(joining.status, 503);
    assert.equal(joining.retryAfter, '1');
    assert.equal(joining.body.error, 'STORE_NOT_AVAILABLE');
    releaseJoin();
    await started;

    for (const streams of instances.slice(1)) await streams.start();
    // user-i clicks i+1 times, all in the minute starting at `minute`.
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    cluster.produce(CLICKS_TOPIC, USERS.flatMap((user, i) => Array.from({ length: i + 1 }, (_, n) => ({ key: user, value: 'click', timestamp: minute + n }))));
    await waitForTotals(ports[0]!);

    const answeredBy = new Set<unknown>();
    for (const [i, user] of USERS.entries()) {
      for (const port of ports) {
        const answer = await get(port, `/stores/${TOTAL_STORE}/keys/${user}`);
        assert.equal(answer.status, 200, `${user} asked at ${port}`);
        assert.equal(answer.body.value, i + 1);
        const owner = instances.find((s) => s.queryServerAddress()?.port === Number(String(answer.body.host).split(':')[1]))!;
        assert.equal(owner.store<string, number>(TOTAL_STORE).get(user), i + 1, 'the answering host holds the key');
        answeredBy.add(answer.body.host);
      }
      const windows = await get(ports[1]!, `/stores/${PER_MINUTE_STORE}/keys/${user}/windows?from=${minute - MINUTE_MS}&to=${minute + MINUTE_MS}`);
      assert.deepEqual(windows.body.windows, [{ windowStart: minute, value: i + 1 }]);
    }
    assert.equal(answeredBy.size, 3, 'keys live on every instance');

    const range = await get(ports[2]!, `/stores/${TOTAL_STORE}/keys`);
    const entries = (range.body.entries as Array<{ key: string; value: number }>).sort((a, b) => a.value - b.value);
    assert.deepEqual(entries, USERS.map((key, i) => ({ key, value: i + 1 })));
    // SQL reads the asked instance's share only: the shares add up to every user.
    const sql = encodeURIComponent(`SELECT count(*) AS users, sum(value) AS clicks FROM "${TOTAL_STORE}"`);
    const shares = await Promise.all(ports.map((port) => get(port, `/sql?q=${sql}`)));
    const sum = (field: string) => shares.reduce((total, a) => total + Number((a.body.rows as Array<{ [f: string]: number }>)[0]![field] ?? 0), 0);
    assert.deepEqual([sum('users'), sum('clicks')], [USERS.length, (USERS.length * (USERS.length + 1)) / 2]);
    assert.equal((await get(ports[0]!, `/sql?q=${encodeURIComponent(`DELETE FROM "${TOTAL_STORE}"`)}`)).status, 400);
    const missing = await get(ports[0]!, `/stores/${TOTAL_STORE}/keys/nobody`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'KEY_NOT_FOUND');
    const unknown = await get(ports[0]!, '/stores/no-such-store/keys/x');
    assert.equal(unknown.status, 400);
  } finally {
    for (const streams of instances) await streams.close();
  }
});

async function waitForTotals(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const range = await get(port, `/stores/${TOTAL_STORE}/keys`);
    const total = range.status === 200 ? (range.body.entries as Array<{ value: number }>).reduce((sum, e) => sum + e.value, 0) : 0;
    if (total === (USERS.length * (USERS.length + 1)) / 2) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for every click counted: last answer ${range.status} ${JSON.stringify(range.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
