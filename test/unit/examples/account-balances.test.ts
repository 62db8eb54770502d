import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import {
  ACCOUNT_TOPICS,
  ACCOUNTS_STORE,
  buildAccountBalancesTopology,
  topology,
  type AccountEvent,
  type Balance,
  type Rejection,
} from '../../../examples/account-balances.js';

function open(driver: TopologyTestDriver) {
  return {
    events: driver.createInputTopic(ACCOUNT_TOPICS.events, Serdes.String(), Serdes.Json<AccountEvent>()),
    balances: driver.createOutputTopic(ACCOUNT_TOPICS.balances, Serdes.String(), Serdes.Json<Balance>()),
    rejections: driver.createOutputTopic(ACCOUNT_TOPICS.rejections, Serdes.String(), Serdes.Json<Rejection>()),
  };
}

describe('account-balances example', () => {
  let driver: TopologyTestDriver | undefined;
  afterEach(() => driver?.close());

  it('folds events into balances and rejects overdrafts and events breaking the rules, each event giving one output', () => {
    driver = new TopologyTestDriver(topology);
    const { events, balances, rejections } = open(driver);
    events.pipeInput('acc-1', { type: 'created', eventId: 'e1', owner: 'ada' }, 1_000);
    events.pipeInput('acc-1', { type: 'deposited', eventId: 'e2', amount: 5_000 }, 2_000);
    events.pipeInput('acc-1', { type: 'withdrawn', eventId: 'e3', amount: 7_500 }, 3_000);
    events.pipeInput('acc-1', { type: 'withdrawn', eventId: 'e4', amount: 5_000 }, 4_000);
    events.pipeInput('acc-2', { type: 'deposited', eventId: 'e5', amount: 100 }, 5_000);
    events.pipeInput('acc-1', { type: 'created', eventId: 'e6', owner: 'bob' }, 6_000);
    events.pipeInput('acc-1', { type: 'deposited', eventId: 'e7', amount: 0.5 }, 7_000);

    assert.deepEqual(balances.readKeyValuesToList(), [
      { key: 'acc-1', value: { owner: 'ada', balance: 0, eventsApplied: 1, lastEventId: 'e1' } },
      { key: 'acc-1', value: { owner: 'ada', balance: 5_000, eventsApplied: 2, lastEventId: 'e2' } },
      { key: 'acc-1', value: { owner: 'ada', balance: 0, eventsApplied: 3, lastEventId: 'e4' } },
    ]);
    assert.deepEqual(
      rejections.readKeyValuesToList().map(({ key, value }) => [key, value!.eventId, value!.reason, value!.balance]),
      [
        ['acc-1', 'e3', 'overdraft: withdrawal of 7500 exceeds the balance of 5000', 5_000],
        ['acc-2', 'e5', 'account does not exist', 0],
        ['acc-1', 'e6', 'account already exists', 0],
        ['acc-1', 'e7', 'amount must be a positive whole number of cents', 0],
      ],
    );
    assert.deepEqual(driver.getKeyValueStore<string, { account: Balance | null }>(ACCOUNTS_STORE)!.get('acc-1')!.account, { owner: 'ada', balance: 0, eventsApplied: 3, lastEventId: 'e4' });
  });

  it('as of a point in time: folds the events up to it and leaves the later ones out', () => {
    driver = new TopologyTestDriver(buildAccountBalancesTopology({ asOfMs: 2_000 }));
    const { events, balances, rejections } = open(driver);
    events.pipeInput('acc-1', { type: 'created', eventId: 'e1', owner: 'ada' }, 1_000);
    events.pipeInput('acc-1', { type: 'deposited', eventId: 'e2', amount: 300 }, 2_000);
    events.pipeInput('acc-1', { type: 'withdrawn', eventId: 'e3', amount: 900 }, 2_001);
    events.pipeInput('acc-1', { type: 'deposited', eventId: 'e4', amount: 50 }, 2_500);
    assert.deepEqual(balances.readValuesToList().map((b) => [b!.lastEventId, b!.balance]), [['e1', 0], ['e2', 300]]);
    assert.deepEqual(rejections.readValuesToList(), []);
  });
});
