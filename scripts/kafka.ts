import { parseArgs } from 'node:util';
import { restartBroker, runningBroker, startBroker, stopBroker, type RunningBroker } from './kafka/local-broker.js';
import { brokerLayout, selectedKafkaVersion } from './kafka/broker-layout.js';

const USAGE = 'use start [--keep-data] [--security], stop, status or restart [--kill] (each also takes --name <folder under .kafka/>)';

/**
 * `npm run kafka:start | kafka:stop | kafka:status` — the project's own local Kafka broker; `restart` stops it
 * (SIGTERM, or SIGKILL with `--kill`: a crash) and starts it again on its data, and `start --keep-data` starts a
 * stopped broker on its previous data instead of wiping it. `start --security` adds a SASL_PLAINTEXT listener (PLAIN
 * and SCRAM-SHA-512) and a TLS one, and prints their addresses, the test user and the CA file.
 */
async function main(argv: string[]): Promise<void> {
  const log = (message: string) => console.error(`[kafka] ${message}`);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'keep-data': { type: 'boolean' }, kill: { type: 'boolean' }, name: { type: 'string' }, security: { type: 'boolean' } },
  });
  const target = values.name === undefined ? {} : { name: values.name };
  switch (positionals[0]) {
    case 'start': {
      const { broker, reused } = await startBroker(log, { ...target, keepData: values['keep-data'] === true, security: values.security === true });
      if (reused) log(`Kafka ${broker.version} is already running (pid ${broker.pid}); reusing it`);
      else log(`Kafka ${broker.version} started in ${((Date.now() - broker.startedAtMs) / 1000).toFixed(1)} s (pid ${broker.pid})`);
      console.log(`KAFKA_BROKERS=${broker.brokers}`);
      printSecured(broker);
      return;
    }
    case 'restart': {
      const broker = await restartBroker(log, { ...target, kill: values.kill === true });
      log(`Kafka ${broker.version} restarted on its data in ${((Date.now() - broker.startedAtMs) / 1000).toFixed(1)} s (pid ${broker.pid})`);
      console.log(`KAFKA_BROKERS=${broker.brokers}`);
      return;
    }
    case 'stop': {
      const result = await stopBroker(target);
      log(result === 'not-running' ? 'no broker of this project is running' : `broker ${result}`);
      return;
    }
    case 'status': {
      const broker = await runningBroker(brokerLayout(selectedKafkaVersion().version, undefined, values.name));
      if (broker) console.log(`running: Kafka ${broker.version}, pid ${broker.pid}, KAFKA_BROKERS=${broker.brokers}`);
      else console.log('not running');
      return;
    }
    default:
      throw new Error(`unknown command "${positionals[0] ?? ''}": ${USAGE}`);
  }
}

function printSecured(broker: RunningBroker): void {
  if (broker.secured === undefined) return;
  const { saslBrokers, sslBrokers, caFile, user } = broker.secured;
  console.log(`KAFKA_SASL_BROKERS=${saslBrokers}  # SASL_PLAINTEXT, PLAIN or SCRAM-SHA-512, user ${user.username} / ${user.password}`);
  console.log(`KAFKA_SSL_BROKERS=${sslBrokers}  # TLS, CA certificate ${caFile}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[kafka] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
