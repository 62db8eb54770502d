import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { CLICK_ENRICHMENT_TOPICS as TOPICS, PAGES_STORE, topology, USERS_STORE, type Click, type EnrichedClick, type Page, type UserProfile } from '../../../examples/click-enrichment.js';

describe('click-enrichment example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  function topics() {
    return {
      clicks: driver.createInputTopic(TOPICS.clicks, Serdes.String(), Serdes.Json<Click>()),
      users: driver.createInputTopic(TOPICS.users, Serdes.String(), Serdes.Json<UserProfile>()),
      pages: driver.createInputTopic(TOPICS.pages, Serdes.String(), Serdes.Json<Page>()),
      enriched: driver.createOutputTopic(TOPICS.enriched, Serdes.String(), Serdes.Json<EnrichedClick>()),
    };
  }

  it('joins each click with its user and its page, keeping clicks by unknown users and dropping clicks on unknown pages', () => {
    const { clicks, users, pages, enriched } = topics();
    pages.pipeInput('/home', { title: 'Home', section: 'front' }, 1);
    pages.pipeInput('/shoes', { title: 'Shoes', section: 'shop' }, 2);
    users.pipeInput('u1', { name: 'Ada', region: 'eu' }, 3);
    assert.deepEqual(enriched.readValuesToList(), [], 'table updates never emit');

    clicks.pipeInput('u1', { page: '/shoes' }, 10);
    clicks.pipeInput('u2', { page: '/home' }, 11);
    clicks.pipeInput('u1', { page: '/missing' }, 12);
    assert.deepEqual(enriched.readRecordsToList().map(({ key, value, timestamp }) => ({ key, value, timestamp })), [
      { key: 'u1', value: { userId: 'u1', user: 'Ada', region: 'eu', page: '/shoes', title: 'Shoes', section: 'shop' }, timestamp: 10 },
      { key: 'u2', value: { userId: 'u2', user: 'anonymous', region: 'unknown', page: '/home', title: 'Home', section: 'front' }, timestamp: 11 },
    ]);
  });

  it('uses the latest user and page rows: updates and deletes on either table reach the next clicks', () => {
    const { clicks, users, pages, enriched } = topics();
    pages.pipeInput('/home', { title: 'Home', section: 'front' }, 1);
    users.pipeInput('u1', { name: 'Ada', region: 'eu' }, 2);
    users.pipeInput('u1', { name: 'Ada', region: 'us' }, 3);
    pages.pipeInput('/home', { title: 'Welcome', section: 'front' }, 4);
    clicks.pipeInput('u1', { page: '/home' }, 10);
    users.pipeInput('u1', null, 11);
    clicks.pipeInput('u1', { page: '/home' }, 12);
    pages.pipeInput('/home', null, 13);
    clicks.pipeInput('u1', { page: '/home' }, 14);
    assert.deepEqual(enriched.readValuesToList(), [
      { userId: 'u1', user: 'Ada', region: 'us', page: '/home', title: 'Welcome', section: 'front' },
      { userId: 'u1', user: 'anonymous', region: 'unknown', page: '/home', title: 'Welcome', section: 'front' },
    ]);
  });

  it('serves the user table and the global page table to queries', () => {
    const { users, pages } = topics();
    pages.pipeInput('/home', { title: 'Home', section: 'front' }, 1);
    users.pipeInput('u1', { name: 'Ada', region: 'eu' }, 2);
    assert.deepEqual(driver.getKeyValueStore<string, Page>(PAGES_STORE)!.get('/home'), { title: 'Home', section: 'front' });
    assert.deepEqual(driver.getKeyValueStore<string, UserProfile>(USERS_STORE)!.get('u1'), { name: 'Ada', region: 'eu' });
  });
});
