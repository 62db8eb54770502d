import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProductionFailure } from '../../src/runtime/client/production-failure.js';
import type { RawRecord } from '../../src/processing/raw-record.js';
import { eventually, record, roundRobinAssignor, startConsumer, values, withTopics } from './contract-support.js';
import type { ContractTarget } from './contract-target.js';
import { groupContract } from './group-contract.js';
import { groupFencingContract } from './group-fencing-contract.js';
import { readerContract } from './reader-contract.js';
import { resetContract } from './reset-contract.js';

const isFailure = (kind: ProductionFailure['kind']) => (error: unknown) => error instanceof ProductionFailure && error.kind === kind;

/** The client port's behaviour, as the runtime relies on it; `target` says what runs it. */
export function clientContract(target: ContractTarget): void {
  describe('produce, offsets and topics', () => {
    test('records get consecutive offsets per partition; keyed records without a partition go where murmur2 says', async () => {
      await withTopics(target, [{ partitions: 3 }], async (client, admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        const written = await producer.send([record(topic!, 0, 'a'), record(topic!, 0, 'b'), record(topic!, 2, 'c')]);
        assert.deepEqual(Object.fromEntries(written), { [`${topic}:0`]: 1, [`${topic}:2`]: 0 });
        // Kafka's default partitioner: positive murmur2 of the key bytes modulo 3 sends eta to 0, alpha to 1, beta to 2.
        await producer.send([record(topic!, undefined, 'eta'), record(topic!, undefined, 'alpha'), record(topic!, undefined, 'beta'), record(topic!, undefined, 'alpha')]);
        await producer.disconnect();
        const partitions = [0, 1, 2].map((partition) => ({ topic: topic!, partition }));
        assert.deepEqual([...(await admin.endOffsets(partitions)).values()], [3, 2, 2]);
        assert.deepEqual([...(await admin.beginningOffsets(partitions)).values()], [0, 0, 0]);
        assert.deepEqual([...(await admin.partitionCounts([topic!, target.uniqueName('missing')])).values()], [3, undefined]);
        assert.ok((await admin.listTopics()).includes(topic!));
      });
    });

    test('creating a topic that exists changes nothing', async () => {
      await withTopics(target, [{ partitions: 2 }], async (_client, admin, [topic]) => {
        await admin.createTopics([{ name: topic!, partitions: 5, config: {} }]);
        assert.equal((await admin.partitionCounts([topic!])).get(topic!), 2);
      });
    });

    test('the broker refuses a record larger than max.message.bytes, and one without a key in a compacted topic', async () => {
      await withTopics(target, [{ partitions: 1, config: { 'max.message.bytes': '1000' } }, { partitions: 1, config: { 'cleanup.policy': 'compact' } }], async (client, _admin, [limited, compacted]) => {
        const producer = client.producer();
        await producer.connect();
        try {
          await assert.rejects(producer.send([record(limited!, 0, 'x'.repeat(2_000))]), isFailure('record'));
          await assert.rejects(producer.send([record(compacted!, 0, 'no key', null)]), isFailure('record'));
        } finally {
          await producer.disconnect();
        }
      });
    });
  });

  describe('transactions', () => {
    test('a commit marker and an abort marker each take an offset; an open transaction holds the end offset at its start', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, admin, [topic]) => {
        const producer = client.transactionalProducer(target.uniqueName('txn'));
        await producer.connect();
        const committed = await producer.begin();
        assert.deepEqual(Object.fromEntries(await committed.send([record(topic!, 0, 'c1'), record(topic!, 0, 'c2')])), { [`${topic}:0`]: 1 });
        await committed.commit();
        const end = async () => (await admin.endOffsets([{ topic: topic!, partition: 0 }])).get(`${topic}:0`);
        // Kafka writes the markers after EndTxn answers, so the end offset moves shortly after.
        await eventually('the end past the commit marker', async () => (await end()) === 3);
        const aborted = await producer.begin();
        await aborted.send([record(topic!, 0, 'a1')]);
        assert.equal(await end(), 3, 'the open transaction starts at 3: read_committed readers stop there');
        await aborted.abort();
        await eventually('the end past the abort marker', async () => (await end()) === 5);
        await producer.disconnect();
        assert.deepEqual(await target.committedValues(topic!), ['c1', 'c2']);
      });
    });

    test('offsets sent in a transaction become the group position on commit, with their metadata, and not on abort', async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, admin, [topic]) => {
        const groupId = target.uniqueName('txn-group');
        const producer = client.transactionalProducer(target.uniqueName('txn'));
        await producer.connect();
        const first = await producer.begin();
        await first.send([record(topic!, 0, 'a')]);
        await first.sendOffsets(groupId, [{ topic: topic!, partition: 0, offset: 7, metadata: 'AQAAAAAAAAPo' }, { topic: topic!, partition: 1, offset: 3 }]);
        const partitions = [0, 1].map((partition) => ({ topic: topic!, partition }));
        const afterCommit = [{ offset: 7, metadata: 'AQAAAAAAAAPo' }, { offset: 3, metadata: null }];
        if (client.groupFencedTransactions) {
          // KIP-447: a stable offset fetch waits for the open transaction holding offsets of these partitions.
          const stable = admin.committedOffsets(groupId, partitions).then((offsets) => [...offsets.values()]);
          assert.equal(await Promise.race([stable.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 300, 'waiting'))]), 'waiting', 'no answer while the transaction is open');
          await first.commit();
          assert.deepEqual(await stable, afterCommit, 'the answer once it committed');
        } else {
          assert.deepEqual([...(await admin.committedOffsets(groupId, partitions)).values()], [null, null], 'nothing counts before the commit');
          await first.commit();
        }
        await eventually('the committed offsets', async () => JSON.stringify([...(await admin.committedOffsets(groupId, partitions)).values()]) === JSON.stringify(afterCommit));
        const second = await producer.begin();
        await second.sendOffsets(groupId, [{ topic: topic!, partition: 0, offset: 9 }]);
        await second.abort();
        await producer.disconnect();
        assert.deepEqual([...(await admin.committedOffsets(groupId, partitions)).values()], afterCommit);
      });
    });

    test('a new producer with the same transactional id fences the old one and aborts its open transaction', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, _admin, [topic]) => {
        const transactionalId = target.uniqueName('fenced');
        const old = client.transactionalProducer(transactionalId);
        await old.connect();
        const zombie = await old.begin();
        await zombie.send([record(topic!, 0, 'zombie-1')]);
        const successor = client.transactionalProducer(transactionalId);
        await successor.connect();
        const current = await successor.begin();
        await assert.rejects(zombie.send([record(topic!, 0, 'zombie-2')]), isFailure('fenced'));
        await assert.rejects(zombie.commit(), isFailure('fenced'));
        await current.send([record(topic!, 0, 'successor')]);
        await current.commit();
        await old.disconnect();
        await successor.disconnect();
        await eventually('the successor committed', async () => (await target.committedValues(topic!)).length > 0);
        assert.deepEqual(await target.committedValues(topic!), ['successor']);
      });
    });

    test('interleaved transactions of two producers, the second to start aborting first: only the committed records are read', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, admin, [topic]) => {
        const [a, b, c] = ['a', 'b', 'c'].map((name) => client.transactionalProducer(target.uniqueName(`interleaved-${name}`)));
        for (const producer of [a!, b!, c!]) await producer.connect();
        const txnA = await a!.begin();
        await txnA.send([record(topic!, 0, 'aborted-a1')]);
        const txnB = await b!.begin();
        await txnB.send([record(topic!, 0, 'aborted-b1')]);
        await txnA.send([record(topic!, 0, 'aborted-a2')]);
        await txnB.send([record(topic!, 0, 'aborted-b2')]);
        await txnB.abort();
        await txnA.abort();
        const txnC = await c!.begin();
        // Its offset is 5 or 6: the coordinator writes A's abort marker after EndTxn answers, so C's record may land first.
        const c1Offset = (await txnC.send([record(topic!, 0, 'committed-c1')])).get(`${topic}:0`);
        await txnC.commit();
        for (const producer of [a!, b!, c!]) await producer.disconnect();
        await eventually('the commit marker of C', async () => (await admin.endOffsets([{ topic: topic!, partition: 0 }])).get(`${topic}:0`) === 8);
        assert.deepEqual(await target.committedValues(topic!), ['committed-c1']);

        const restored: RawRecord[] = [];
        await client.changelogReader().read([{ topic: topic!, partition: 0, from: 0, to: 8 }], (records) => restored.push(...records));
        assert.deepEqual(values(restored), ['committed-c1']);
        assert.equal(restored[0]!.offset, c1Offset);

        const { consumer, handlers } = await startConsumer(client, target, { groupId: target.uniqueName('interleaved'), topic: topic!, assignor: roundRobinAssignor(topic!, 'm') });
        try {
          await eventually('the committed record', () => handlers.records.length >= 1);
          await eventually('the position past the commit marker', () => handlers.positions.get(0) === 8);
          assert.deepEqual(values(handlers.records), ['committed-c1']);
          assert.equal(handlers.records[0]!.headers.lastHeader('origin')?.value?.toString(), 'contract');
        } finally {
          await consumer.stop();
        }
      });
    });
  });

  groupContract(target);
  groupFencingContract(target);
  readerContract(target);
  resetContract(target);
}
