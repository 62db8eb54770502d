import { StreamsError } from '../core/errors.js';

/** Which states may follow each state: a table, so the allowed moves are read in one place. */
export type TransitionTable<S extends string> = { readonly [From in S]: readonly S[] };

/**
 * Holds one state and refuses moves the table does not list. The client (`KafkaStreams`) and every task keep their
 * state in one of these, so an impossible move is an `ILLEGAL_STATE` error instead of silent drift.
 */
export class StateMachine<S extends string> {
  private current: S;

  constructor(
    private readonly what: string,
    private readonly transitions: TransitionTable<S>,
    initial: S,
    private readonly onChange: (next: S, previous: S) => void = () => undefined,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  canMoveTo(next: S): boolean {
    return this.transitions[this.current].includes(next);
  }

  /** Moves to `next`, or throws when the table does not allow it. */
  moveTo(next: S): void {
    if (!this.canMoveTo(next)) {
      throw new StreamsError('ILLEGAL_STATE', `${this.what} cannot move from ${this.current} to ${next}`);
    }
    const previous = this.current;
    this.current = next;
    this.onChange(next, previous);
  }

  /** Moves to `next` when allowed; returns whether it moved (for moves that race with shutdown). */
  tryMoveTo(next: S): boolean {
    if (!this.canMoveTo(next)) return false;
    this.moveTo(next);
    return true;
  }
}
