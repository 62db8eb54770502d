import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawRecord } from '../../src/processing/raw-record.js';
import type { OutgoingRecord } from '../../src/processing/record-collector.js';
import { eventually, record, values, withTopics } from './contract-support.js';
import type { ContractTarget } from './contract-target.js';

/** Kafka rolls segments by record time: these records must carry the time they are written at. */
const now = (r: OutgoingRecord): OutgoingRecord => ({ ...r, timestamp: Date.now() });

const keyed = (records: readonly RawRecord[]) => records.map((r) => `${r.key?.toString()}=${r.value?.toString() ?? 'null'}@${r.offset}`);

/** Reading outside the group: the changelog reader (restoration) and the partition tailer (global stores). */
export function readerContract(target: ContractTarget): void {
  describe('changelog reader and partition tailer', () => {
    test('the changelog reader reads from → to only, and fails with onRecords’ error or its signal’s reason', async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, _admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        await producer.send([...'abcdefgh'].map((v) => record(topic!, 1, v)));
        await producer.disconnect();
        const reader = client.changelogReader();
        const read: RawRecord[] = [];
        await reader.read([{ topic: topic!, partition: 1, from: 2, to: 6 }, { topic: topic!, partition: 0, from: 0, to: 0 }], (records) => read.push(...records));
        assert.deepEqual(values(read), ['c', 'd', 'e', 'f']);
        assert.deepEqual(read.map((r) => r.offset), [2, 3, 4, 5]);

        const broken = new Error('store write failed');
        await assert.rejects(reader.read([{ topic: topic!, partition: 1, from: 0, to: 8 }], () => { throw broken; }), (error: unknown) => error === broken);
        // `to` lies beyond the end, so only the signal ends this read.
        const controller = new AbortController();
        const seen: RawRecord[] = [];
        const reading = reader.read([{ topic: topic!, partition: 1, from: 0, to: 1_000 }], (records) => {
          seen.push(...records);
          controller.abort();
        }, controller.signal);
        await assert.rejects(reading, { name: 'AbortError' });
        assert.ok(seen.length > 0);
      });
    });

    test('the partition tailer hands over what is there from its offset, then what comes, until stopped', async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, _admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        await producer.send([record(topic!, 0, 'a'), record(topic!, 0, 'b'), record(topic!, 1, 'x')]);
        const tailer = client.partitionTailer();
        const seen: RawRecord[] = [];
        const errors: unknown[] = [];
        await tailer.start([{ topic: topic!, partition: 0, offset: 1 }], (records) => seen.push(...records), (error) => errors.push(error));
        try {
          await eventually('b', () => seen.length === 1);
          await producer.send([record(topic!, 0, 'c'), record(topic!, 1, 'y')]);
          await eventually('c', () => seen.length === 2);
          assert.deepEqual(values(seen), ['b', 'c']);
        } finally {
          await tailer.stop();
        }
        await producer.send([record(topic!, 0, 'after-stop')]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await producer.disconnect();
        assert.deepEqual(values(seen), ['b', 'c']);
        assert.deepEqual(errors, []);
      });
    });

    test('compaction: a reader sees the latest record of each key at its old offset, never a superseded one', async () => {
      await withTopics(target, [{ partitions: 1, config: target.compactedTopicConfig }], async (client, admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        await producer.send([record(topic!, 0, 'a', 'k1'), record(topic!, 0, 'b', 'k2'), record(topic!, 0, 'c', 'k1'), record(topic!, 0, null, 'k2')].map(now));
        const readAll = async () => {
          const end = (await admin.endOffsets([{ topic: topic!, partition: 0 }])).get(`${topic}:0`)!;
          const read: RawRecord[] = [];
          await client.changelogReader().read([{ topic: topic!, partition: 0, from: 0, to: end }], (records) => read.push(...records));
          return read;
        };
        assert.deepEqual(keyed(await readAll()), ['k1=a@0', 'k2=b@1', 'k1=c@2', 'k2=null@3']);
        await target.compact(topic!, async () => {
          // The cleaner never touches the active segment: a later record lets the first one roll.
          await producer.send([now(record(topic!, 0, 'd', 'k3'))]);
          return !keyed(await readAll()).includes('k1=a@0');
        });
        await producer.disconnect();
        const compacted = keyed(await readAll()).filter((r) => !r.startsWith('k3='));
        assert.ok(['k1=c@2,k2=null@3', 'k1=c@2'].includes(compacted.join(',')), `compacted to ${compacted.join(',')}`);
      });
    });
  });
}
