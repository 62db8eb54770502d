import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPENDENCY_PLUGIN, dependencyPom, runMaven, type MavenDependency } from '../kafka/maven.js';
import { CONNECT_VERSION, DEBEZIUM_VERSION, type CdcLayout } from './cdc-layout.js';

/** Connect's worker and JSON converter, with the log4j2 binding the pom leaves out (as for the broker). */
const CONNECT_DEPENDENCIES: MavenDependency[] = [
  ['org.apache.kafka', 'connect-runtime', CONNECT_VERSION],
  ['org.apache.kafka', 'connect-json', CONNECT_VERSION],
  ['org.apache.logging.log4j', 'log4j-slf4j-impl', '2.25.3'],
  ['org.slf4j', 'slf4j-api', '1.7.36'],
];

const hasJar = (dir: string, prefix: string) => existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(prefix) && f.endsWith('.jar'));

/**
 * Downloads Kafka Connect's classpath and Debezium's Postgres plugin from Maven Central once. The plugin is
 * Debezium's own `tar.gz:plugin` archive rather than its dependency tree: the tree brings a second Jackson, and
 * Connect then fails to load its JSON converter in the plugin's class loader.
 */
export function fetchConnectJars(layout: CdcLayout, log: (message: string) => void): void {
  if (!hasJar(layout.connectJarsDir, 'connect-runtime-')) {
    log(`fetching Kafka Connect ${CONNECT_VERSION} from Maven Central into ${layout.connectJarsDir}`);
    mkdirSync(layout.connectMavenDir, { recursive: true });
    const pomFile = join(layout.connectMavenDir, 'pom.xml');
    writeFileSync(pomFile, dependencyPom('kafka-connect', CONNECT_DEPENDENCIES));
    runMaven(['-f', pomFile, `${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DincludeScope=runtime', `-DoutputDirectory=${layout.connectJarsDir}`], `Kafka Connect ${CONNECT_VERSION}`);
    if (!hasJar(layout.connectJarsDir, 'connect-runtime-')) throw new Error(`Maven finished but no connect-runtime jar is in ${layout.connectJarsDir}`);
  }
  if (!hasJar(layout.debeziumDir, 'debezium-connector-postgres-')) {
    log(`fetching Debezium ${DEBEZIUM_VERSION} (Postgres connector) from Maven Central into ${layout.pluginsDir}`);
    mkdirSync(layout.pluginsDir, { recursive: true });
    mkdirSync(layout.connectMavenDir, { recursive: true });
    runMaven(
      // It runs only when the jars are missing: overwriting ignores the plugin's "already unpacked" marker, which
      // outlives a wiped plugins folder. Run in .kafka/, so that the marker lands there and not in the checkout.
      [`${DEPENDENCY_PLUGIN}:unpack`, `-Dartifact=io.debezium:debezium-connector-postgres:${DEBEZIUM_VERSION}:tar.gz:plugin`, `-DoutputDirectory=${layout.pluginsDir}`, '-Dmdep.overWriteReleases=true'],
      `Debezium ${DEBEZIUM_VERSION}`,
      layout.connectMavenDir,
    );
    if (!hasJar(layout.debeziumDir, 'debezium-connector-postgres-')) throw new Error(`Maven finished but no Debezium jar is in ${layout.debeziumDir}`);
  }
}
