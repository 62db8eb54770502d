import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { RawRecord } from '../../processing/raw-record.js';
import type {
  ChangelogReader,
  GroupConsumer,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  PartitionTailer,
  ProducerTransaction,
  RecordProducer,
  TransactionalProducer,
  WrittenOffsets,
} from '../client/kafka-client.js';

/** Which of a thread's readers fetched: the group consumer, the restore reader, the global stores' tailer. */
export type FetchingConsumer = 'group' | 'restore' | 'global';

/** Records and bytes (keys and values, not wire bytes) one client moved, in plain numbers. */
export interface ClientCountersSnapshot {
  readonly recordsSent: number;
  readonly bytesSent: number;
  readonly recordsFetched: { readonly [consumer in FetchingConsumer]: number };
  readonly bytesFetched: { readonly [consumer in FetchingConsumer]: number };
}

export class ClientCounters {
  private recordsSent = 0;
  private bytesSent = 0;
  private readonly recordsFetched = { group: 0, restore: 0, global: 0 };
  private readonly bytesFetched = { group: 0, restore: 0, global: 0 };

  fetched(consumer: FetchingConsumer, records: readonly RawRecord[]): void {
    let bytes = 0;
    for (const record of records) bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
    this.recordsFetched[consumer] += records.length;
    this.bytesFetched[consumer] += bytes;
  }

  sent(records: readonly OutgoingRecord[]): void {
    let bytes = 0;
    for (const record of records) bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
    this.recordsSent += records.length;
    this.bytesSent += bytes;
  }

  snapshot(): ClientCountersSnapshot {
    return { recordsSent: this.recordsSent, bytesSent: this.bytesSent, recordsFetched: { ...this.recordsFetched }, bytesFetched: { ...this.bytesFetched } };
  }
}

/**
 * The client port with every record sent or fetched counted, around whichever adapter it is: the counts mean the
 * same for kafkajs, @platformatic/kafka and the in-memory cluster. Records count once acknowledged (sent) or once
 * handed to the runtime (fetched); one sum per batch keeps it off the per-record path.
 */
export function meteredClient(client: KafkaClient, counters: ClientCounters): KafkaClient {
  return {
    groupFencedTransactions: client.groupFencedTransactions,
    admin: (): KafkaAdmin => client.admin(),
    groupConsumer: (options: GroupConsumerOptions): GroupConsumer => meteredConsumer(client.groupConsumer(options), counters),
    producer: (): RecordProducer => meteredProducer(client.producer(), counters),
    transactionalProducer: (transactionalId: string): TransactionalProducer => meteredTransactionalProducer(client.transactionalProducer(transactionalId), counters),
    changelogReader: (): ChangelogReader => {
      const reader = client.changelogReader();
      return { read: (requests, onRecords, signal) => reader.read(requests, (records) => (counters.fetched('restore', records), onRecords(records)), signal) };
    },
    partitionTailer: (): PartitionTailer => {
      const tailer = client.partitionTailer();
      return {
        start: (positions, onRecords, onError) => tailer.start(positions, (records) => (counters.fetched('global', records), onRecords(records)), onError),
        stop: () => tailer.stop(),
      };
    },
  };
}

function meteredConsumer(consumer: GroupConsumer, counters: ClientCounters): GroupConsumer {
  return {
    start: (handlers) =>
      consumer.start({
        ...handlers,
        onRecords: (records) => {
          counters.fetched('group', records);
          handlers.onRecords(records);
        },
      }),
    pause: (partitions) => consumer.pause(partitions),
    resume: (partitions) => consumer.resume(partitions),
    seek: (partition, offset) => consumer.seek(partition, offset),
    commitOffsets: (offsets) => consumer.commitOffsets(offsets),
    groupMember: () => consumer.groupMember(),
    outage: () => consumer.outage(),
    stop: () => consumer.stop(),
  };
}

function meteredProducer(producer: RecordProducer, counters: ClientCounters): RecordProducer {
  return {
    connect: () => producer.connect(),
    send: (records) => countSent(producer.send(records), records, counters),
    disconnect: () => producer.disconnect(),
  };
}

function meteredTransactionalProducer(producer: TransactionalProducer, counters: ClientCounters): TransactionalProducer {
  return {
    connect: () => producer.connect(),
    begin: async (): Promise<ProducerTransaction> => {
      const transaction = await producer.begin();
      return {
        send: (records) => countSent(transaction.send(records), records, counters),
        sendOffsets: (groupId, offsets, member) => transaction.sendOffsets(groupId, offsets, member),
        commit: () => transaction.commit(),
        abort: () => transaction.abort(),
      };
    },
    disconnect: () => producer.disconnect(),
  };
}

async function countSent(sending: Promise<WrittenOffsets>, records: readonly OutgoingRecord[], counters: ClientCounters): Promise<WrittenOffsets> {
  const written = await sending;
  counters.sent(records);
  return written;
}
