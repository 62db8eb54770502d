import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProcessingError } from '../../../../src/core/errors.js';
import type { Record } from '../../../../src/core/record.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import type { StreamsState } from '../../../../src/runtime/app/streams-state.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { Topology } from '../../../../src/topology/topology.js';
import { RecordingLogger } from '../tasks/runtime-fakes.js';

/**
 * The fatal path of the app object: a thread that fails releases everything and ends in ERROR, with the
 * uncaught-exception handler called once, whatever else fails on the way, and never with an unhandled rejection
 * (which ends a Node 20 process).
 */

/** `in` (2 partitions) → `boom`: fails on the record `boom`; its `close()` throws in every task. */
function failingTopology(): Topology {
  const boom = () => ({
    process: (record: Record<string, string>) => {
      if (record.key === 'boom') throw new Error('boom');
    },
    close: () => {
      throw new Error('cannot close');
    },
  });
  return new Topology().addSource('in', 'in', { keySerde: Serdes.String(), valueSerde: Serdes.String() }).addProcessor('boom', boom, 'in');
}

interface Run {
  readonly states: StreamsState[];
  readonly handled: unknown[];
  readonly unhandled: unknown[];
  readonly logger: RecordingLogger;
}

/** Starts a client over an in-memory cluster holding `boom` and `fine`, and waits until it stops (ERROR or NOT_RUNNING). */
async function runUntilStopped(listener: (state: StreamsState) => void = () => undefined): Promise<Run> {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-fatal-'));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const logger = new RecordingLogger();
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic('in', 2);
  cluster.produce('in', [{ key: 'boom', value: 'v', partition: 0 }, { key: 'fine', value: 'v', partition: 1 }]);
  const streams = new KafkaStreams(failingTopology(), { applicationId: 'fatal-app', stateDir, logger }, { client: cluster.client() });
  const states: StreamsState[] = [];
  const handled: unknown[] = [];
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  streams.setStateListener((state) => {
    states.push(state);
    if (state === 'ERROR' || state === 'NOT_RUNNING') stopped();
    listener(state);
  });
  streams.setUncaughtExceptionHandler((error) => {
    handled.push(error);
    return 'SHUTDOWN_CLIENT';
  });
  try {
    await streams.start();
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    // Rejections are reported after the microtasks of the turn that dropped them: give them a few turns.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    return { states, handled, unhandled, logger };
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

test('a fatal error ends in ERROR though every processor throws in close(): handler called once, every task closed, no unhandled rejection', async () => {
  const run = await runUntilStopped();
  assert.deepEqual(run.unhandled, []);
  assert.deepEqual(run.states.slice(-2), ['PENDING_ERROR', 'ERROR']);
  assert.equal(run.handled.length, 1);
  assert.ok(run.handled[0] instanceof ProcessingError && /boom/.test(run.handled[0].message));
  const closeFailures = run.logger.entries.filter((e) => e.message === 'closing the task without a commit failed; it is closed anyway');
  assert.equal(closeFailures.length, 2, 'both tasks were closed, each close failure logged');
});

test('a state listener that throws does not keep the failed client from releasing everything and reaching ERROR', async () => {
  const run = await runUntilStopped((state) => {
    if (state === 'PENDING_ERROR') throw new Error('listener bug');
  });
  assert.deepEqual(run.unhandled, []);
  assert.deepEqual(run.states.slice(-2), ['PENDING_ERROR', 'ERROR']);
  assert.ok(run.logger.entries.some((e) => e.level === 'error' && e.message === 'state listener failed'));
});
