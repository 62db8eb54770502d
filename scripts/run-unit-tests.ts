import { spawnSync } from 'node:child_process';
import { testFiles } from './test-files.js';

/** Runs test/unit (or the files given) with Node's test runner; unit tests never need a broker. */
const files = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...(files.length ? files : testFiles('test/unit'))],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
