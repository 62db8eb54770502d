import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `*.test.ts` under `dir`, sorted: Node 20's test runner does not expand globs itself. */
export function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();
}
