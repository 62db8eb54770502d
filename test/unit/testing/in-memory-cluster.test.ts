import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BrokerFailure } from '../../../src/runtime/client/broker-failure.js';
import { ProductionFailure } from '../../../src/runtime/client/production-failure.js';
import { InMemoryKafkaCluster, KafkaError, ManualClock } from '../../../src/testing/index.js';
import { record, roundRobinAssignor, startConsumer, values, type RecordingHandlers } from '../../contract/contract-support.js';
import type { ContractTarget } from '../../contract/contract-target.js';

/** Cluster behaviour the contract cannot reach on a real broker quickly: time, faults, the cleaner's details. */
function setup(topic = 'events', partitions = 2, config: { [key: string]: string } = {}) {
  const clock = new ManualClock(1_000_000);
  const cluster = new InMemoryKafkaCluster({ clock });
  cluster.createTopic(topic, partitions, config);
  const target = { group: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 } } as ContractTarget;
  return { clock, cluster, target };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const partitionsOf = (handlers: RecordingHandlers) => handlers.partitions();

describe('in-memory cluster: groups on the clock', () => {
  test('a crashed member is removed after its session timeout and its partitions move; a live one heartbeats through', async () => {
    const { clock, cluster, target } = setup('events', 4);
    const a = cluster.client({ name: 'a' });
    const first = await startConsumer(a, target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'a') });
    const second = await startConsumer(cluster.client({ name: 'b' }), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'b') });
    await settle();
    assert.deepEqual([partitionsOf(first.handlers).length, partitionsOf(second.handlers).length], [2, 2]);
    cluster.crash(a);
    await clock.advance(9_000);
    assert.equal(partitionsOf(second.handlers).length, 2, 'within the session timeout nothing moves');
    await clock.advance(2_000);
    assert.deepEqual(partitionsOf(second.handlers), [0, 1, 2, 3]);
    assert.equal(second.handlers.lost, 0);
    assert.deepEqual(cluster.group('g').memberIds(), ['b-member-2']);
    await second.consumer.stop();
  });

  test('a member whose heartbeats failed past its session hears UNKNOWN_MEMBER_ID next: partitions lost, it joins anew', async () => {
    const { clock, cluster, target } = setup();
    let failHeartbeats = true;
    cluster.faults.add({
      before: (op) => {
        if (op.kind === 'heartbeat' && failHeartbeats) throw new KafkaError('COORDINATOR_NOT_AVAILABLE');
      },
    });
    const member = await startConsumer(cluster.client({ name: 'slow' }), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'm') });
    await settle();
    assert.equal(member.handlers.assignments, 1);
    await clock.advance(10_000);
    assert.deepEqual(cluster.group('g').memberIds(), [], 'the coordinator forgot it');
    assert.equal(member.handlers.lost, 0, 'the member does not know yet');
    failHeartbeats = false;
    await clock.advance(1_000);
    assert.equal(member.handlers.lost, 1);
    assert.equal(member.handlers.assignments, 2);
    assert.deepEqual(cluster.group('g').memberIds(), ['slow-member-2']);
    await member.consumer.stop();
  });

  test('a member that does not join the next round within the rebalance timeout is dropped from it', async () => {
    const { clock, cluster, target } = setup();
    const stuck = cluster.client({ name: 'stuck' });
    const first = await startConsumer(stuck, target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 's') });
    await settle();
    cluster.faults.add({ before: (op) => (op.kind === 'joinGroup' && op.client === 'stuck' ? new Promise<void>(() => undefined) : undefined) });
    const second = await startConsumer(cluster.client({ name: 'late' }), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'l') });
    await settle();
    assert.equal(first.handlers.rebalances, 1);
    assert.equal(second.handlers.assignments, 0, 'the round waits for the member that is joining');
    assert.equal(cluster.group('g').state(), 'preparing-rebalance');
    await clock.advance(10_000);
    assert.equal(cluster.group('g').state(), 'stable');
    assert.deepEqual(partitionsOf(second.handlers), [0, 1]);
    await second.consumer.stop();
  });

  test('a join failing on a retriable error is an outage, dated in wall-clock time, retried with backoff on the clock', async () => {
    const { clock, cluster, target } = setup();
    let failures = 1;
    cluster.faults.add({
      before: (op) => {
        if (op.kind === 'joinGroup' && failures-- > 0) throw new KafkaError('COORDINATOR_NOT_AVAILABLE');
      },
    });
    const before = Date.now();
    const member = await startConsumer(cluster.client(), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'm') });
    const outage = member.consumer.outage();
    assert.ok(outage !== undefined && outage.sinceMs >= before && outage.sinceMs <= Date.now(), 'the runtime compares it with Date.now()');
    assert.ok(outage.lastError instanceof BrokerFailure && outage.lastError.retriable);
    await clock.advance(500);
    assert.equal(member.handlers.assignments, 1);
    assert.equal(member.consumer.outage(), undefined);
    await member.consumer.stop();
  });

  test('a member commit during a rebalance fails, retriably (REBALANCE_IN_PROGRESS)', async () => {
    const { cluster, target } = setup();
    const first = await startConsumer(cluster.client(), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'a') });
    await settle();
    cluster.faults.add({ before: (op) => (op.kind === 'joinGroup' && op.client !== 'client-2' ? new Promise<void>(() => undefined) : undefined) });
    const second = await startConsumer(cluster.client(), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'b') });
    await assert.rejects(first.consumer.commitOffsets([{ topic: 'events', partition: 0, offset: 1 }]), (e: unknown) => e instanceof BrokerFailure && e.retriable && /REBALANCE_IN_PROGRESS/.test(e.message));
    await second.consumer.stop();
    await first.consumer.stop();
  });
});

describe('in-memory cluster: transactions and the log', () => {
  test('the coordinator aborts a transaction open past its timeout and fences its producer', async () => {
    const { clock, cluster } = setup();
    const producer = cluster.client().transactionalProducer('t');
    const transaction = await producer.begin();
    await transaction.send([record('events', 0, 'late')]);
    assert.equal(cluster.offsets({ topic: 'events', partition: 0 }).lastStable, 0);
    await clock.advance(60_000);
    assert.deepEqual(cluster.offsets({ topic: 'events', partition: 0 }), { logStart: 0, highWatermark: 2, lastStable: 2 });
    await assert.rejects(transaction.commit(), (e: unknown) => e instanceof ProductionFailure && e.kind === 'fenced');
    assert.deepEqual(cluster.records('events'), []);
    assert.equal(cluster.records('events', 'read_uncommitted').length, 1, 'read_uncommitted still sees the aborted record');
  });

  test('the last stable offset is the start of the earliest open transaction of any producer', async () => {
    const { cluster } = setup();
    const [a, b] = [cluster.client().transactionalProducer('a'), cluster.client().transactionalProducer('b')];
    cluster.produce('events', [{ key: 'plain', value: 'plain', partition: 0 }]);
    const txnA = await a.begin();
    await txnA.send([record('events', 0, 'a1')]);
    const txnB = await b.begin();
    await txnB.send([record('events', 0, 'b1')]);
    assert.equal(cluster.offsets({ topic: 'events', partition: 0 }).lastStable, 1);
    await txnA.commit();
    assert.equal(cluster.offsets({ topic: 'events', partition: 0 }).lastStable, 2, 'b1 at 2 is still open');
    await txnB.commit();
    assert.deepEqual(cluster.offsets({ topic: 'events', partition: 0 }), { logStart: 0, highWatermark: 5, lastStable: 5 });
    assert.deepEqual(values(cluster.records('events')), ['plain', 'a1', 'b1']);
  });

  test('compaction drops aborted and superseded records below the last stable offset, tombstones after delete.retention.ms', async () => {
    const { clock, cluster } = setup('log', 1, { 'cleanup.policy': 'compact', 'delete.retention.ms': '1000' });
    cluster.produce('log', [{ key: 'k', value: 'v1' }, { key: 'gone', value: 'x' }, { key: 'gone', value: null }]);
    const aborted = await cluster.client().transactionalProducer('t1').begin();
    await aborted.send([record('log', 0, 'aborted', 'k')]);
    await aborted.abort();
    const open = await cluster.client().transactionalProducer('t2').begin();
    await open.send([record('log', 0, 'open', 'k')]);
    cluster.produce('log', [{ key: 'k', value: 'v2' }]);
    cluster.compact();
    const read = () => cluster.records('log', 'read_uncommitted').map((r) => `${r.key?.toString()}=${r.value?.toString() ?? 'null'}@${r.offset}`);
    assert.deepEqual(read(), ['k=v1@0', 'gone=null@2', 'k=open@5', 'k=v2@6'], 'the open transaction and what follows stay as written');
    await clock.advance(1_000);
    await open.commit();
    cluster.compact();
    assert.deepEqual(read(), ['k=v2@6']);
  });

  test('a consumer positioned below the log start starts again at it', async () => {
    const { cluster, target } = setup('events', 1);
    cluster.produce('events', ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })));
    cluster.deleteRecordsBefore({ topic: 'events', partition: 0 }, 2);
    const { consumer, handlers } = await startConsumer(cluster.client(), target, { groupId: 'g', topic: 'events', assignor: roundRobinAssignor('events', 'm') });
    await settle();
    await settle();
    assert.deepEqual(values(handlers.records), ['c']);
    await consumer.stop();
  });
});

describe('in-memory cluster: faults', () => {
  test('a fault before an operation fails it unapplied; one after it loses the answer of an applied operation', async () => {
    const { cluster } = setup();
    const producer = cluster.client({ name: 'p' }).producer();
    const remove = cluster.faults.add({ before: (op) => { if (op.kind === 'produce') throw new KafkaError('NOT_LEADER_OR_FOLLOWER'); } });
    await assert.rejects(producer.send([record('events', 0, 'refused')]), (e: unknown) => e instanceof ProductionFailure && e.kind === 'other' && e.retriable);
    remove();
    cluster.faults.add({ after: (op) => { if (op.kind === 'produce') throw new KafkaError('REQUEST_TIMED_OUT'); } });
    await assert.rejects(producer.send([record('events', 0, 'written')]), (e: unknown) => e instanceof ProductionFailure && e.retriable);
    assert.deepEqual(values(cluster.records('events')), ['written']);
  });

  test('a fenced answer injected into a commit is a fenced failure; admin faults are broker failures', async () => {
    const { cluster } = setup();
    cluster.faults.add({
      before: (op) => {
        if (op.kind === 'endTransaction') throw new KafkaError('PRODUCER_FENCED');
        if (op.kind === 'listOffsets') throw new KafkaError('COORDINATOR_LOAD_IN_PROGRESS');
      },
    });
    const transaction = await cluster.client().transactionalProducer('t').begin();
    await transaction.send([record('events', 0, 'x')]);
    await assert.rejects(transaction.commit(), (e: unknown) => e instanceof ProductionFailure && e.kind === 'fenced');
    const admin = cluster.client().admin();
    await assert.rejects(admin.endOffsets([{ topic: 'events', partition: 0 }]), (e: unknown) => e instanceof BrokerFailure && e.retriable);
  });
});
