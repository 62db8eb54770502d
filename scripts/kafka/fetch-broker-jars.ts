import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerLayout, KafkaLine } from './broker-layout.js';

/**
 * The broker's pom leaves out an SLF4J binding (it ships only in the release tarball); without one the broker runs
 * but drops every log line. 4.1 logs through log4j2, 3.9 still calls log4j 1 classes directly (hence reload4j).
 */
const LOGGING_DEPENDENCIES: Record<KafkaLine, Array<[group: string, artifact: string, version: string]>> = {
  '4.1': [
    ['org.apache.logging.log4j', 'log4j-slf4j-impl', '2.25.3'],
    ['org.slf4j', 'slf4j-api', '1.7.36'],
  ],
  '3.9': [
    ['org.slf4j', 'slf4j-reload4j', '1.7.36'],
    ['ch.qos.reload4j', 'reload4j', '1.2.25'],
  ],
};

/** Pinned so that a Maven upgrade cannot change how the classpath is collected. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies';

function pom(version: string, line: KafkaLine): string {
  const dependency = ([group, artifact, v]: [string, string, string]) =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version></dependency>`;
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>kstreams.local</groupId><artifactId>kafka-broker</artifactId><version>1</version><packaging>pom</packaging>',
    '  <dependencies>',
    dependency(['org.apache.kafka', 'kafka_2.13', version]),
    ...LOGGING_DEPENDENCIES[line].map(dependency),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

function hasJars(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('kafka_2.13-') && f.endsWith('.jar'));
}

/** Downloads the broker and its runtime classpath from Maven Central once; later starts reuse the cache. */
export function fetchBrokerJars(layout: BrokerLayout, version: string, line: KafkaLine, log: (msg: string) => void): void {
  if (hasJars(layout.jarsDir)) return;
  log(`fetching Apache Kafka ${version} broker jars from Maven Central into ${layout.jarsDir}`);
  mkdirSync(layout.mavenDir, { recursive: true });
  const pomFile = join(layout.mavenDir, 'pom.xml');
  writeFileSync(pomFile, pom(version, line));
  try {
    execFileSync(
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', '-f', pomFile, DEPENDENCY_PLUGIN, '-DincludeScope=runtime', `-DoutputDirectory=${layout.jarsDir}`],
      { stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Maven could not fetch the Kafka ${version} jars:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  if (!hasJars(layout.jarsDir)) throw new Error(`Maven finished but no Kafka jars are in ${layout.jarsDir}`);
}
