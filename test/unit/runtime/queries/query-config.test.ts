import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { keyCodecOf } from '../../../../src/runtime/app/queries/query-config.js';
import { resolveStreamsConfig, type StreamsConfig } from '../../../../src/runtime/app/streams-config.js';

const base: StreamsConfig = { applicationId: 'iq-config', bootstrapServers: '127.0.0.1:9092' };

test('applicationServer is host:port, and the query server needs it', () => {
  assert.equal(resolveStreamsConfig({ ...base, applicationServer: 'node-1.internal:7070' }).applicationServer, 'node-1.internal:7070');
  assert.equal(resolveStreamsConfig(base).applicationServer, undefined);
  for (const bad of ['node-1', 'node-1:0', 'node-1:70000', ':7070', 42]) {
    assert.throws(() => resolveStreamsConfig({ ...base, applicationServer: bad as string }), (e: unknown) => e instanceof ConfigError && e.key === 'applicationServer', String(bad));
  }
  assert.throws(() => resolveStreamsConfig({ ...base, queryServer: { port: 7070 } }), /needs applicationServer/);
  assert.throws(() => resolveStreamsConfig({ ...base, applicationServer: 'h:1', queryServer: { port: -1 } }), /port must be an integer/);
  assert.throws(() => resolveStreamsConfig({ ...base, applicationServer: 'h:1', queryServer: { port: 1, keys: { s: {} as never } } }), /keys.s must be/);
});

test('keys in URLs are strings unless a store has a codec; parseKey defaults to the key serde over the text', () => {
  const resolved = resolveStreamsConfig({ ...base, applicationServer: 'h:1', queryServer: { port: 0, keys: { orders: { keySerde: Serdes.Json<{ id: number }>() } } } }).queryServer!;
  assert.equal(keyCodecOf(resolved, 'words').parseKey('héllo'), 'héllo');
  assert.deepEqual(keyCodecOf(resolved, 'orders').parseKey('{"id":7}'), { id: 7 });
});
