import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createProject, packRepository, ROOT, run, tarballFiles } from './package-project.js';
import {
  APP_JS,
  EXPECTED_DESCRIPTION,
  EXPECTED_OUTPUT,
  TOPOLOGY_JS,
  TOPOLOGY_TS,
  TSCONFIG_JSON,
  TYPED_APP_TS,
} from './user-code.js';

/**
 * The published package as a user gets it: `npm pack` (which builds through `prepack`), installed from the tarball
 * into a fresh project outside this repository, used from JavaScript, from the `kstreams` bin and from strict
 * TypeScript. Needs no broker; npm reads the registry only for what the cache `npm ci` filled lacks.
 */
describe('the packed package', () => {
  const work = mkdtempSync(join(tmpdir(), 'kstreams-pack-'));
  const project = join(work, 'project');
  let tarball = '';

  before(() => {
    tarball = packRepository(join(work, 'pack'));
    createProject(project, tarball);
    writeFileSync(join(project, 'topology.js'), TOPOLOGY_JS);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships the build, the bin, the license and nothing that points at unshipped sources', () => {
    const files = tarballFiles(tarball);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'src/cli/kstreams.js', 'dist/src/cli/main.js']) {
      assert.ok(files.includes(file), `${file} is missing from the tarball`);
    }
    for (const entry of ['index', 'testing/index']) {
      assert.ok(files.includes(`dist/src/${entry}.js`) && files.includes(`dist/src/${entry}.d.ts`), `dist/src/${entry} is missing`);
    }
    const unexpected = files.filter((file) => !/^dist\/src\/.*\.(js|d\.ts)$/.test(file) && !['LICENSE', 'README.md', 'package.json', 'src/cli/kstreams.js'].includes(file));
    assert.deepEqual(unexpected, [], 'no source maps, sources or other files');
    assert.match(readFileSync(join(project, 'node_modules', 'kstreams', 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  });

  it('runs a topology from JavaScript through TopologyTestDriver from kstreams/testing', () => {
    writeFileSync(join(project, 'app.js'), APP_JS);
    const stdout = run(process.execPath, ['app.js'], project).ok();
    assert.deepEqual(JSON.parse(stdout), EXPECTED_OUTPUT);
  });

  it('prints a JavaScript module\'s topology with npx kstreams describe', () => {
    assert.equal(run('npx', ['kstreams', 'describe', 'topology.js'], project).ok(), EXPECTED_DESCRIPTION);
  });

  it('answers --version, diffs two topologies (exit 1 when a store is renamed) and has every command, from the installed bin', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run('npx', ['kstreams', '--version'], project).ok(), `${manifest.version}\n`);
    assert.equal(run('npx', ['kstreams', 'diff', 'topology.js', 'topology.js'], project).ok(), 'no changes to stores or repartition topics\n');
    writeFileSync(join(project, 'renamed.js'), TOPOLOGY_JS.replace("storeName: 'counts'", "storeName: 'word-counts-store'"));
    const renamed = run('npx', ['kstreams', 'diff', 'topology.js', 'renamed.js'], project);
    assert.equal(renamed.status, 1, renamed.stderr);
    assert.match(renamed.stdout, /store counts is gone: .*renamed to word-counts-store\?/);
    for (const command of ['run', 'reset', 'query']) assert.match(run('npx', ['kstreams', command, '--help'], project).ok(), new RegExp(`^Usage: kstreams ${command} `));
  });

  it('runs the sources through the same bin in a checkout, never an absent or stale dist/', () => {
    const bin = join(ROOT, 'src', 'cli', 'kstreams.js');
    assert.equal(run(process.execPath, [bin, 'describe', 'topology.js'], project).ok(), EXPECTED_DESCRIPTION);
  });

  it('does not install tsx: a TypeScript module needs the user\'s tsx, unless Node strips types itself', () => {
    assert.equal(existsSync(join(project, 'node_modules', 'tsx')), false);
    writeFileSync(join(project, 'typed-topology.ts'), TOPOLOGY_TS);
    const result = run('npx', ['kstreams', 'describe', 'typed-topology.ts'], project);
    if ((process.features as { typescript?: unknown }).typescript) {
      assert.equal(result.stdout, EXPECTED_DESCRIPTION, result.stderr);
    } else {
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^kstreams: cannot load typed-topology\.ts: .*\(loading a TypeScript module needs tsx: npm install --save-dev tsx\)\n$/);
    }
  });

  it('type-checks a strict TypeScript user without skipLibCheck, with no types but @types/node', () => {
    writeFileSync(join(project, 'tsconfig.json'), TSCONFIG_JSON);
    writeFileSync(join(project, 'typed-app.ts'), TYPED_APP_TS);
    const typescript = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    assert.equal(run(process.execPath, [typescript, '-p', '.'], project).ok(), '');
  });
});
