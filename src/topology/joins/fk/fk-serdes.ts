import type { ProcessorContext } from '../../../core/processor.js';
import type { Serde } from '../../../core/serde.js';

/** The serdes every part of one foreign-key join shares, and the subscription topic its pseudo topics derive from. */
export interface ForeignKeyJoinSerdes {
  /** This (primary) table's key serde: primary keys inside subscriptions and combined keys. */
  readonly primaryKeySerde: Serde<unknown>;
  /** This table's value serde: the hashed bytes. */
  readonly primaryValueSerde: Serde<unknown>;
  /** The foreign table's key serde: the subscription topic's keys and the combined keys' prefix. */
  readonly foreignKeySerde: Serde<unknown>;
  /** The foreign table's value serde: responses carry foreign values. */
  readonly foreignValueSerde: Serde<unknown>;
  /** The subscription topic's short name. */
  readonly subscriptionTopic: string;
}

/**
 * Kafka Streams' pseudo topics (`decoratePseudoTopic(<subscription topic>-<suffix>)`): foreign keys are serialized
 * under `-fk`, primary keys under `-pk`, hashed values under `-vh`, so topic-aware serdes see Kafka's names.
 */
export function pseudoTopic(context: ProcessorContext<unknown, unknown>, serdes: ForeignKeyJoinSerdes, suffix: 'fk' | 'pk' | 'vh'): string {
  return `${context.applicationId}-${serdes.subscriptionTopic}-${suffix}`;
}

/** The partition of the task's input: a task reads partition `p` of all its source topics (`<subtopology>_<p>`). */
export function taskPartition(context: ProcessorContext<unknown, unknown>): number {
  return Number(context.taskId.slice(context.taskId.lastIndexOf('_') + 1));
}

/** Serialized bytes, `null` for a `null` value; the foreign key is compared and stored by these. */
export function bytesOf(serde: Serde<unknown>, topic: string, value: unknown): Buffer | null {
  return value === null || value === undefined ? null : serde.serialize(topic, value);
}
