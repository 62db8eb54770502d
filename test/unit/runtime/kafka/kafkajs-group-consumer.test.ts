import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { isRetriable } from '../../../../src/runtime/client/broker-failure.js';
import type { GroupAssignor, GroupConsumerHandlers } from '../../../../src/runtime/client/kafka-client.js';
import { KafkajsGroupConsumer } from '../../../../src/runtime/kafka/kafkajs-group-consumer.js';

/**
 * kafkajs' consumer as the adapter sees it during a broker outage: without a consumer group (after a crash, until
 * it runs again) `pause`, `resume` and `seek` throw, and a new group remembers nothing of the old one.
 */
class FakeKafkajsConsumer {
  readonly events = { REBALANCING: 'rebalancing', GROUP_JOIN: 'group_join', CRASH: 'crash' };
  /** What reached a consumer group, in order. */
  readonly applied: string[] = [];
  connects = 0;
  runs = 0;
  private hasGroup = false;
  private readonly listeners = new Map<string, Array<(event: { payload: unknown }) => void>>();

  on(event: string, listener: (event: { payload: unknown }) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  async connect(): Promise<void> {
    this.connects++;
  }

  async subscribe(): Promise<void> {}

  async run(): Promise<void> {
    this.runs++;
    this.hasGroup = true;
  }

  async disconnect(): Promise<void> {
    this.hasGroup = false;
  }

  pause(list: Array<{ topic: string; partitions: number[] }>): void {
    this.call(`pause ${list.map((t) => `${t.topic}:${t.partitions.join(',')}`).join(' ')}`);
  }

  resume(list: Array<{ topic: string; partitions: number[] }>): void {
    this.call(`resume ${list.map((t) => `${t.topic}:${t.partitions.join(',')}`).join(' ')}`);
  }

  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    this.call(`seek ${topic}:${partition} ${offset}`);
  }

  /** kafkajs disconnects itself, then emits CRASH (and restarts later when `restart`). */
  crash(error: Error, restart: boolean): void {
    this.hasGroup = false;
    this.emit(this.events.CRASH, { error, restart });
  }

  /** A join of a (new) consumer group, which starts without pauses or seeks. */
  join(memberId: string, memberAssignment: { [topic: string]: number[] }): void {
    this.hasGroup = true;
    this.emit(this.events.GROUP_JOIN, { memberId, memberAssignment });
  }

  private emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }

  private call(what: string): void {
    if (!this.hasGroup) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    this.applied.push(what);
  }
}

const assignor: GroupAssignor = { memberUserData: () => Buffer.alloc(0), assign: () => new Map() };
const connectionLost = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });

async function started(): Promise<{ adapter: KafkajsGroupConsumer; fake: FakeKafkajsConsumer; seen: string[] }> {
  const fake = new FakeKafkajsConsumer();
  const adapter = new KafkajsGroupConsumer({ consumer: () => fake } as unknown as Kafka, { groupId: 'app', topics: ['in'], assignor, readCommitted: true });
  const seen: string[] = [];
  const handlers: GroupConsumerHandlers = {
    onRecords: () => undefined,
    onFetchPosition: () => undefined,
    onRebalancing: () => seen.push('rebalancing'),
    onAssignment: (partitions) => seen.push(`assignment ${partitions.map((p) => `${p.topic}:${p.partition}`).join(' ')} (applied: ${fake.applied.join('; ')})`),
    onPartitionsLost: () => seen.push('lost'),
    onCrash: (error) => seen.push(`crash ${error.message}`),
  };
  await adapter.start(handlers);
  return { adapter, fake, seen };
}

test('pauses and seeks made while kafkajs restarts its crashed consumer are kept and applied on its next join, before the assignment', async () => {
  const { adapter, fake, seen } = await started();
  fake.join('member-1', { in: [0, 1] });
  adapter.pause([{ topic: 'in', partition: 1 }]);
  fake.crash(connectionLost, true);
  assert.deepEqual(seen.splice(0), ['assignment in:0 in:1 (applied: )', 'lost'], 'a crash ends the membership');
  assert.equal(adapter.outage()?.lastError, connectionLost);

  adapter.pause([{ topic: 'in', partition: 0 }]);
  adapter.seek({ topic: 'in', partition: 0 }, 42);
  adapter.resume([{ topic: 'in', partition: 1 }]);
  fake.applied.length = 0;
  fake.join('member-2', { in: [0, 1] });
  assert.deepEqual(seen, ['assignment in:0 in:1 (applied: pause in:0; seek in:0 42)'], 'lost once, not again at the join');
  assert.equal(adapter.outage(), undefined);
});

test('a new member id at a join means the coordinator forgot the member: its partitions are reported lost first', async () => {
  const { fake, seen } = await started();
  fake.join('member-1', { in: [0] });
  fake.join('member-1', { in: [0] });
  fake.join('member-2', { in: [0] });
  assert.deepEqual(seen, ['assignment in:0 (applied: )', 'assignment in:0 (applied: )', 'lost', 'assignment in:0 (applied: )']);
});

test('a crash kafkajs gives up on but a retry can fix is restarted here, after a backoff; a final one is reported', async () => {
  const { fake, seen } = await started();
  fake.join('member-1', { in: [0] });
  const noCoordinator = Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound' });
  fake.crash(noCoordinator, false);
  assert.equal(fake.runs, 1, 'not at once');
  for (const deadline = Date.now() + 5_000; fake.runs < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(fake.runs, 2, 'connected and run again');
  assert.deepEqual(seen.splice(0), ['assignment in:0 (applied: )', 'lost']);

  fake.crash(new Error('Unsupported partition assigner "x"'), false);
  assert.deepEqual(seen, ['crash Unsupported partition assigner "x"']);
});

test('offsets cannot be committed while the consumer is out of the group: a retriable failure', async () => {
  const { adapter, fake } = await started();
  fake.crash(connectionLost, true);
  await assert.rejects(adapter.commitOffsets([{ topic: 'in', partition: 0, offset: 1 }]), (error: unknown) => isRetriable(error));
});
