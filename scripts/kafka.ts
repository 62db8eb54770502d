import { runningBroker, startBroker, stopBroker } from './kafka/local-broker.js';

/** `npm run kafka:start | kafka:stop | kafka:status` — the project's own local Kafka broker. */
async function main(command: string | undefined): Promise<void> {
  const log = (message: string) => console.error(`[kafka] ${message}`);
  switch (command) {
    case 'start': {
      const { broker, reused } = await startBroker(log);
      if (reused) log(`Kafka ${broker.version} is already running (pid ${broker.pid}); reusing it`);
      else log(`Kafka ${broker.version} started in ${((Date.now() - broker.startedAtMs) / 1000).toFixed(1)} s (pid ${broker.pid})`);
      console.log(`KAFKA_BROKERS=${broker.brokers}`);
      return;
    }
    case 'stop': {
      const result = await stopBroker();
      log(result === 'not-running' ? 'no broker of this project is running' : `broker ${result}`);
      return;
    }
    case 'status': {
      const broker = await runningBroker();
      if (broker) console.log(`running: Kafka ${broker.version}, pid ${broker.pid}, KAFKA_BROKERS=${broker.brokers}`);
      else console.log('not running');
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ''}": use start, stop or status`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`[kafka] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
