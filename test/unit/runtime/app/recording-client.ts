import type { GroupMember, KafkaClient, ProducerTransaction, TransactionalProducer } from '../../../../src/runtime/client/kafka-client.js';

/** What one transaction of a transactional producer did, as the client under it saw it. */
export interface RecordedTransaction {
  readonly transactionalId: string;
  /** `topic:partition` of every input offset sent in it. */
  readonly offsets: string[];
  /** The group members its offsets were sent with. */
  readonly members: Array<GroupMember | undefined>;
  outcome: 'open' | 'committed' | 'aborted' | 'failed';
  /** What failed it (a send, the offsets or the commit). */
  error?: unknown;
}

/**
 * A client that delegates everything to `client` and records each transaction of its transactional producers, so a
 * test can count them and see what they held without reading through the runtime under test.
 */
export function recordingClient(client: KafkaClient): { client: KafkaClient; transactions: RecordedTransaction[] } {
  const transactions: RecordedTransaction[] = [];
  const record = (transactionalId: string, transaction: ProducerTransaction): ProducerTransaction => {
    const recorded: RecordedTransaction = { transactionalId, offsets: [], members: [], outcome: 'open' };
    const observe = async <T>(call: Promise<T>): Promise<T> => {
      try {
        return await call;
      } catch (error) {
        recorded.outcome = 'failed';
        recorded.error = error;
        throw error;
      }
    };
    let listed = false;
    const list = (): void => {
      if (!listed) transactions.push(recorded);
      listed = true;
    };
    return {
      send: (records) => {
        list();
        return observe(transaction.send(records));
      },
      sendOffsets: (groupId, offsets, member) => {
        list();
        recorded.offsets.push(...offsets.map((o) => `${o.topic}:${o.partition}`));
        recorded.members.push(member);
        return observe(transaction.sendOffsets(groupId, offsets, member));
      },
      commit: async () => {
        await observe(transaction.commit());
        if (listed) recorded.outcome = 'committed';
      },
      abort: async () => {
        await observe(transaction.abort());
        if (listed && recorded.outcome === 'open') recorded.outcome = 'aborted';
      },
    };
  };
  const producer = (transactionalId: string, inner: TransactionalProducer): TransactionalProducer => ({
    connect: () => inner.connect(),
    begin: async () => record(transactionalId, await inner.begin()),
    disconnect: () => inner.disconnect(),
  });
  const wrapped: KafkaClient = {
    groupFencedTransactions: client.groupFencedTransactions,
    admin: () => client.admin(),
    groupConsumer: (options) => client.groupConsumer(options),
    producer: () => client.producer(),
    transactionalProducer: (transactionalId) => producer(transactionalId, client.transactionalProducer(transactionalId)),
    changelogReader: () => client.changelogReader(),
    partitionTailer: () => client.partitionTailer(),
  };
  return { client: wrapped, transactions };
}
