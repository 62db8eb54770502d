import { runningRegistry, startRegistry, stopRegistry } from './registry/local-registry.js';

/**
 * `npm run registry:start | registry:stop | registry:status` — the project's own Schema Registry (Apicurio Registry
 * with its Confluent-compatible API, in-memory storage) on 127.0.0.1. `start` prints `SCHEMA_REGISTRY_URL=…`.
 */
async function main(command: string | undefined): Promise<void> {
  const log = (message: string) => console.error(`[registry] ${message}`);
  switch (command) {
    case 'start': {
      const { registry, reused } = await startRegistry(log);
      if (reused) log(`Apicurio Registry ${registry.version} is already running (pid ${registry.pid}); reusing it`);
      else log(`Apicurio Registry ${registry.version} started in ${((Date.now() - registry.startedAtMs) / 1000).toFixed(1)} s (pid ${registry.pid})`);
      console.log(`SCHEMA_REGISTRY_URL=${registry.url}`);
      return;
    }
    case 'stop': {
      const result = await stopRegistry();
      log(result === 'not-running' ? 'no registry of this project is running' : `registry ${result}`);
      return;
    }
    case 'status': {
      const registry = await runningRegistry();
      console.log(registry ? `running: Apicurio Registry ${registry.version}, pid ${registry.pid}, SCHEMA_REGISTRY_URL=${registry.url}` : 'not running');
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ''}": use start, stop or status`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`[registry] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
