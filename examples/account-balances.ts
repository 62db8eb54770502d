/**
 * Event sourcing: the account events (created, deposited, withdrawn; JSON, keyed by account id) are the source of
 * truth, and the balances are folded from them by an aggregate. The fold is also the command validator: an event
 * that would break an account's rules (a withdrawal above the balance, money moved on an account never created, a
 * second creation, an amount that is not a positive whole number of cents) changes nothing and goes to the
 * rejection topic with its reason; every other event updates the account, whose new state goes to the balances
 * topic. Each event gives exactly one output record, on one of the two topics.
 *
 * Replay: the balances are a function of the events, so they can be rebuilt. To see the accounts as they stood at
 * a past point T, reset the application to the earliest offsets (`kstreams reset --to-earliest`, which also removes
 * its state) and run it with `asOfMs: T`: it folds the events up to T and ignores the later ones. Resetting the
 * input to T instead (`--to-datetime`) reprocesses the events from T on, over state that no longer holds what came
 * before: that is for reprocessing, not for rebuilding. See docs/runtime.md, "Resetting an application".
 *
 *   kstreams describe examples/account-balances.ts
 */
import { Serdes, StreamsBuilder, type FixedKeyProcessorContext, type FixedKeyProcessorSupplier, type Topology } from '../src/index.js';

/** Amounts are whole cents, so that sums are exact. */
export type AccountEvent =
  | { readonly type: 'created'; readonly eventId: string; readonly owner: string }
  | { readonly type: 'deposited'; readonly eventId: string; readonly amount: number }
  | { readonly type: 'withdrawn'; readonly eventId: string; readonly amount: number };

/** An account's state on the balances topic, after the event `lastEventId`. */
export interface Balance {
  readonly owner: string;
  readonly balance: number;
  readonly eventsApplied: number;
  readonly lastEventId: string;
}

/** An event the account's rules refused, with the balance it met. */
export interface Rejection {
  readonly eventId: string;
  readonly event: AccountEvent;
  readonly reason: string;
  readonly balance: number;
}

export interface AccountBalancesTopics {
  readonly events: string;
  readonly balances: string;
  readonly rejections: string;
}

export const ACCOUNT_TOPICS: AccountBalancesTopics = { events: 'account-events', balances: 'account-balances', rejections: 'account-rejections' };
/** The store of the folded accounts, queryable by this name; its changelog is `<applicationId>-accounts-changelog`. */
export const ACCOUNTS_STORE = 'accounts';

export interface AccountBalancesOptions {
  readonly topics?: AccountBalancesTopics;
  /** Fold only the events whose timestamp is at or before this (ms since the epoch): the state as of then. */
  readonly asOfMs?: number;
}

/** The aggregate: the account (null until created) and what the latest event did, so that the output can tell. */
interface AccountState {
  readonly account: Balance | null;
  readonly rejection: Rejection | null;
}

/** Why `event` cannot apply to `account`, or `null` when it can. */
export function rejectionReason(account: Balance | null, event: AccountEvent): string | null {
  if (event.type === 'created') return account === null ? null : 'account already exists';
  if (event.type !== 'deposited' && event.type !== 'withdrawn') return `unknown event type ${JSON.stringify((event as { type?: unknown }).type)}`;
  if (account === null) return 'account does not exist';
  if (!Number.isSafeInteger(event.amount) || event.amount <= 0) return 'amount must be a positive whole number of cents';
  if (event.type === 'withdrawn' && event.amount > account.balance) return `overdraft: withdrawal of ${event.amount} exceeds the balance of ${account.balance}`;
  return null;
}

/** The account after `event`, which `rejectionReason` accepted. */
export function applyEvent(account: Balance | null, event: AccountEvent): Balance {
  const eventsApplied = (account?.eventsApplied ?? 0) + 1;
  if (event.type === 'created') return { owner: event.owner, balance: 0, eventsApplied, lastEventId: event.eventId };
  const balance = account!.balance + (event.type === 'deposited' ? event.amount : -event.amount);
  return { owner: account!.owner, balance, eventsApplied, lastEventId: event.eventId };
}

function fold(event: AccountEvent, state: AccountState): AccountState {
  const reason = rejectionReason(state.account, event);
  if (reason !== null) return { account: state.account, rejection: { eventId: event.eventId, event, reason, balance: state.account?.balance ?? 0 } };
  return { account: applyEvent(state.account, event), rejection: null };
}

/** Passes on the events up to `asOfMs` by their record timestamp; the later ones are left out of the fold on purpose. */
function eventsUpTo(asOfMs: number): FixedKeyProcessorSupplier<string, AccountEvent, AccountEvent> {
  return () => {
    let context: FixedKeyProcessorContext<string, AccountEvent>;
    return {
      init: (given) => void (context = given),
      process: (record) => {
        if (record.timestamp <= asOfMs) context.forward(record);
      },
    };
  };
}

export function buildAccountBalancesTopology(options: AccountBalancesOptions = {}): Topology {
  const topics = options.topics ?? ACCOUNT_TOPICS;
  const builder = new StreamsBuilder();
  let events = builder.stream(topics.events, { keySerde: Serdes.String(), valueSerde: Serdes.Json<AccountEvent>() });
  if (options.asOfMs !== undefined) events = events.processValues(eventsUpTo(options.asOfMs), { name: 'events-as-of' });
  const outcomes = events
    .groupByKey()
    // Caching off: a cache would merge the updates of an account within a commit interval, and a rejection
    // followed by an accepted event would never reach the rejection topic.
    .aggregate<AccountState>(() => ({ account: null, rejection: null }), (_accountId, event, state) => fold(event, state), {
      storeName: ACCOUNTS_STORE,
      valueSerde: Serdes.Json<AccountState>(),
      caching: false,
    })
    .toStream({ name: 'account-outcomes' });
  outcomes
    .filter((_accountId, state) => state.rejection !== null, { name: 'rejected' })
    .mapValues((state) => state.rejection!)
    .to(topics.rejections, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Rejection>() });
  outcomes
    .filter((_accountId, state) => state.rejection === null && state.account !== null, { name: 'applied' })
    .mapValues((state) => state.account!)
    .to(topics.balances, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Balance>() });
  return builder.build();
}

export const topology = buildAccountBalancesTopology();
