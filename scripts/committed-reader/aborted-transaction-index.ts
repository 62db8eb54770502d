import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brokerLayout, selectedKafkaVersion } from '../kafka/broker-layout.js';
import { runningBroker } from '../kafka/local-broker.js';

/** One entry of a partition's aborted-transaction index: what the broker lists in read_committed fetches. */
export interface IndexedAbort {
  readonly partition: number;
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

const ENTRY = /producerId: (\d+) firstOffset: (\d+) lastOffset: (\d+)/;

/**
 * The aborted transactions the broker recorded for `topic`, read from its `.txnindex` files with Kafka's own
 * `DumpLogSegments`. Only possible on the project's local broker (its data directory is on this machine): `null`
 * when `brokers` is another cluster.
 */
export async function abortedTransactionIndex(brokers: string, topic: string): Promise<IndexedAbort[] | null> {
  const layout = brokerLayout(selectedKafkaVersion().version);
  const local = await runningBroker(layout);
  if (local === null || !brokers.split(',').includes(local.brokers)) return null;
  const partitionDirs = readdirSync(layout.dataDir).filter((name) => name.startsWith(`${topic}-`) && /^\d+$/.test(name.slice(topic.length + 1)));
  return partitionDirs.flatMap((dir) => {
    const partition = Number(dir.slice(topic.length + 1));
    const files = readdirSync(join(layout.dataDir, dir)).filter((name) => name.endsWith('.txnindex')).map((name) => join(layout.dataDir, dir, name));
    if (files.length === 0) return [];
    const dump = spawnSync('java', ['-cp', join(layout.jarsDir, '*'), 'kafka.tools.DumpLogSegments', '--files', files.join(',')], { encoding: 'utf8' });
    if (dump.status !== 0) throw new Error(`DumpLogSegments failed on ${dir}: ${dump.stderr}`);
    return dump.stdout.split('\n').flatMap((line) => {
      const match = ENTRY.exec(line);
      return match ? [{ partition, producerId: Number(match[1]), firstOffset: Number(match[2]), lastOffset: Number(match[3]) }] : [];
    });
  });
}

/** Pairs of aborted transactions of different producers whose offset ranges overlap in one partition. */
export function interleavedAborts(entries: readonly IndexedAbort[]): number {
  let pairs = 0;
  entries.forEach((a, i) => {
    for (const b of entries.slice(i + 1)) {
      if (a.partition === b.partition && a.producerId !== b.producerId && a.firstOffset <= b.lastOffset && b.firstOffset <= a.lastOffset) pairs++;
    }
  });
  return pairs;
}
