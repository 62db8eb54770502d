import type { ClusterClock, ClusterTimer } from './cluster-clock.js';
import { KafkaError } from './kafka-error.js';
import type { PartitionLog, TransactionOutcome } from './partition-log.js';

/** A group that holds offsets sent in a transaction until the transaction ends. */
export interface TransactionalOffsets {
  completeTransaction(producerId: number, commit: boolean): void;
}

/** The producer id and epoch a transactional producer got from `InitProducerId`. */
export interface ProducerIdentity {
  readonly producerId: number;
  readonly epoch: number;
}

interface OngoingTransaction {
  readonly outcome: TransactionOutcome;
  readonly partitions: Set<PartitionLog>;
  readonly groups: Set<TransactionalOffsets>;
  readonly timeout: ClusterTimer;
}

interface TransactionalIdState {
  readonly producerId: number;
  epoch: number;
  ongoing: OngoingTransaction | null;
}

/**
 * Kafka's transaction coordinator: one producer id per transactional id, an epoch that each `InitProducerId`
 * bumps (fencing the producer that held the id: its open transaction is aborted before the new one gets its
 * epoch), and transactions that begin with the first partition or group offsets added and end with a marker in
 * every partition they wrote. A transaction open longer than its timeout is aborted by the coordinator, which
 * bumps the epoch too, so its producer is fenced.
 */
export class TransactionCoordinator {
  private readonly ids = new Map<string, TransactionalIdState>();
  private nextProducerId = 1_000;

  constructor(
    private readonly clock: ClusterClock,
    /** Markers move last stable offsets: readers waiting at one must hear of it. */
    private readonly changed: () => void,
  ) {}

  /** A producer id for an idempotent producer without a transactional id. */
  newProducerId(): number {
    return this.nextProducerId++;
  }

  initProducerId(transactionalId: string): ProducerIdentity {
    const existing = this.ids.get(transactionalId);
    if (existing === undefined) {
      const state = { producerId: this.newProducerId(), epoch: 0, ongoing: null };
      this.ids.set(transactionalId, state);
      return { producerId: state.producerId, epoch: state.epoch };
    }
    this.end(existing, false);
    existing.epoch++;
    return { producerId: existing.producerId, epoch: existing.epoch };
  }

  /** Joins `partition` to the producer's transaction (beginning it); returns the outcome its records share. */
  addPartition(transactionalId: string, identity: ProducerIdentity, partition: PartitionLog, timeoutMs: number): TransactionOutcome {
    const ongoing = this.ongoing(transactionalId, identity, timeoutMs);
    ongoing.partitions.add(partition);
    return ongoing.outcome;
  }

  addOffsets(transactionalId: string, identity: ProducerIdentity, group: TransactionalOffsets, timeoutMs: number): void {
    this.ongoing(transactionalId, identity, timeoutMs).groups.add(group);
  }

  /** `EndTxn`: markers in every partition of the transaction, the group offsets kept or dropped. */
  endTransaction(transactionalId: string, identity: ProducerIdentity, commit: boolean): void {
    const state = this.current(transactionalId, identity);
    if (state.ongoing === null) throw new KafkaError('INVALID_TXN_STATE', `transactional id ${transactionalId} has no transaction open`);
    this.end(state, commit);
  }

  /** Fails with PRODUCER_FENCED unless `identity` still holds the transactional id (every call of a producer checks). */
  check(transactionalId: string, identity: ProducerIdentity): void {
    this.current(transactionalId, identity);
  }

  private current(transactionalId: string, identity: ProducerIdentity): TransactionalIdState {
    const state = this.ids.get(transactionalId);
    if (state === undefined || state.producerId !== identity.producerId || state.epoch !== identity.epoch) {
      throw new KafkaError('PRODUCER_FENCED', `producer epoch ${identity.epoch} of transactional id ${transactionalId} is fenced by a newer one`);
    }
    return state;
  }

  private ongoing(transactionalId: string, identity: ProducerIdentity, timeoutMs: number): OngoingTransaction {
    const state = this.current(transactionalId, identity);
    if (state.ongoing === null) {
      const timeout = this.clock.setTimer(timeoutMs, () => this.timedOut(state));
      state.ongoing = { outcome: { state: 'open' }, partitions: new Set(), groups: new Set(), timeout };
    }
    return state.ongoing;
  }

  private timedOut(state: TransactionalIdState): void {
    if (state.ongoing === null) return;
    this.end(state, false);
    state.epoch++;
  }

  private end(state: TransactionalIdState, commit: boolean): void {
    const ongoing = state.ongoing;
    if (ongoing === null) return;
    state.ongoing = null;
    ongoing.timeout.cancel();
    for (const partition of ongoing.partitions) partition.writeMarker(state.producerId, commit);
    ongoing.outcome.state = commit ? 'committed' : 'aborted';
    for (const group of ongoing.groups) group.completeTransaction(state.producerId, commit);
    this.changed();
  }
}
