import { execFileSync } from 'node:child_process';

/** Pinned so that a Maven upgrade cannot change how a classpath is collected or an archive unpacked. */
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

export type MavenDependency = readonly [group: string, artifact: string, version: string];

/** A pom whose only purpose is to list `dependencies` for `copy-dependencies`. */
export function dependencyPom(artifactId: string, dependencies: readonly MavenDependency[]): string {
  const dependency = ([group, artifact, v]: MavenDependency) =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version></dependency>`;
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    `  <groupId>kstreams.local</groupId><artifactId>${artifactId}</artifactId><version>1</version><packaging>pom</packaging>`,
    '  <dependencies>',
    ...dependencies.map(dependency),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

/** Runs Maven quietly (in `cwd`, this process' working directory by default); a failure carries Maven's own output. */
export function runMaven(args: readonly string[], what: string, cwd?: string): void {
  try {
    execFileSync('mvn', ['-q', '-B', '-Dstyle.color=never', ...args], { stdio: 'pipe', encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Maven could not fetch ${what}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
