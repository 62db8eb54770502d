import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Apicurio Registry's last line that runs on Java 17 (3.x needs 21); its Confluent-compatible API is ccompat v7. */
export const APICURIO_VERSION = '2.6.13.Final';

/** The path of the Confluent-compatible API under the registry's base URL: clients take `<base>/apis/ccompat/v7`. */
export const CCOMPAT_PATH = '/apis/ccompat/v7';

/**
 * Every file of the local registry lives under `<repo>/.kafka/` (git-ignored), beside the broker's: the unpacked
 * application is a cache shared by every start, the `registry` folder holds the running one's log and state file.
 */
export function registryLayout(version = APICURIO_VERSION, root = resolve(import.meta.dirname, '..', '..')) {
  // Resolved, as the broker's layout is, so that a worktree whose .kafka links to another checkout's recognises the
  // registry that checkout started (its command line names the real path).
  const base = existsSync(join(root, '.kafka')) ? realpathSync(join(root, '.kafka')) : join(root, '.kafka');
  const appDir = join(base, 'apicurio', version);
  const registryDir = join(base, 'registry');
  return {
    version,
    appDir,
    runnerJar: join(appDir, `apicurio-registry-app-${version}-runner.jar`),
    registryDir,
    logFile: join(registryDir, 'registry.log'),
    /** Written once the registry answers: pid, port, version and URL of the registry this checkout started. */
    stateFile: join(registryDir, 'registry.json'),
  };
}

export type RegistryLayout = ReturnType<typeof registryLayout>;
