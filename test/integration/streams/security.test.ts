import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { KafkaStreams, Serdes, StreamsBuilder, StreamsError, type StreamsConfig } from '../../../src/index.js';
import { eventually, uniqueName } from '../support/broker.js';
import { DedicatedBroker } from '../support/dedicated-broker.js';
import { CLIENT_KINDS } from '../support/test-client.js';
import { removeDir, tempStateDir } from './streams-support.js';

/**
 * kstreams on a secured broker of this file's own (`kafka:start --security`): over SASL_PLAINTEXT with PLAIN and with
 * SCRAM-SHA-512, and over TLS trusting the broker's CA, on both client adapters. Wrong credentials fail `start()` at
 * once with AUTHENTICATION_FAILED, and no log line, at any level, carries a password.
 */

let broker: DedicatedBroker;
before(async () => {
  broker = await DedicatedBroker.start('secured', { security: true });
});
after(async () => {
  await broker.remove();
});

type Access = Pick<StreamsConfig, 'bootstrapServers' | 'sasl' | 'ssl'>;

function accessOf(kind: 'plain' | 'scram-sha-512' | 'ssl', password = broker.secured!.user.password): Access {
  const { saslBrokers, sslBrokers, caFile, user } = broker.secured!;
  if (kind === 'ssl') return { bootstrapServers: sslBrokers, ssl: { ca: [readFileSync(caFile, 'utf8')] } };
  return { bootstrapServers: saslBrokers, sasl: { mechanism: kind, username: user.username, password } };
}

/** Every line the application logs, at debug, to check afterwards. */
function capturedLogger(): { logger: pino.Logger; text: () => string } {
  let text = '';
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  return { logger: pino({ level: 'debug' }, sink), text: () => text };
}

function upperCase(input: string, output: string) {
  const builder = new StreamsBuilder();
  builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).mapValues((v) => v.toUpperCase()).to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  return builder.build();
}

for (const client of CLIENT_KINDS) {
  for (const kind of ['plain', 'scram-sha-512', 'ssl'] as const) {
    test(`${client}: processes exactly once over ${kind === 'ssl' ? 'TLS' : `SASL ${kind.toUpperCase()}`}, and logs no secret`, async () => {
      const [input, output] = [uniqueName(`sec-in-${kind}`), uniqueName(`sec-out-${kind}`)];
      const setup = new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
      await setup.connect();
      await setup.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
      const producer = new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic: input, messages: ['a', 'b', 'c'].map((value) => ({ key: value, value })) });
      await producer.disconnect();
      const stateDir = tempStateDir();
      const logs = capturedLogger();
      const streams = new KafkaStreams(upperCase(input, output), { applicationId: uniqueName('sec-app'), stateDir, client, processingGuarantee: 'exactly_once', logger: logs.logger, ...accessOf(kind) });
      try {
        await streams.start();
        let written: string[] = [];
        await eventually(`three records on ${output}`, async () => {
          written = (await readToEnd(broker.brokers, [output])).map((r) => r.value?.toString() ?? '');
          return written.length >= 3;
        }, 60_000);
        assert.deepEqual(written.sort(), ['A', 'B', 'C']);
      } finally {
        await streams.close();
        await setup.disconnect();
        removeDir(stateDir);
      }
      assert.equal(logs.text().includes(broker.secured!.user.password), false, 'the password is in a log line');
    });
  }

  // A start that retried refused credentials would run into the task timeout (300 s), far past this test's timeout.
  test(`${client}: a wrong password fails start() at once with AUTHENTICATION_FAILED naming the user, never the password`, { timeout: 60_000 }, async () => {
    const stateDir = tempStateDir();
    const logs = capturedLogger();
    const wrong = 'not-the-password-42';
    const streams = new KafkaStreams(upperCase('any-in', 'any-out'), { applicationId: uniqueName('sec-wrong'), stateDir, client, logger: logs.logger, ...accessOf('scram-sha-512', wrong) });
    try {
      await assert.rejects(streams.start(), (error: unknown) => {
        assert.ok(error instanceof StreamsError);
        assert.equal(error.code, 'AUTHENTICATION_FAILED');
        assert.match(error.message, /refused the credentials \(config "sasl": user "kstreams", mechanism scram-sha-512\)/);
        assert.equal(error.message.includes(wrong), false);
        return true;
      });
      assert.equal(streams.state(), 'ERROR');
    } finally {
      await streams.close();
      removeDir(stateDir);
    }
    assert.equal(logs.text().includes(wrong), false, 'the password is in a log line');
  });
}
