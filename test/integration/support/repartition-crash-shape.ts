import type { CrashAppConfig } from './crash-app-runner.js';

/** The settings of `repartition-crash-app.ts`, shared with the tests that check its output. */
export interface RepartitionCrashAppConfig extends CrashAppConfig {
  readonly shape: 'count' | 'windowed';
  readonly pages: number;
  readonly windowSizeMs: number;
  readonly graceMs: number;
}

/** The page input `seq` names. Flush records carry negative sequence numbers, each naming a page of its own. */
export function pageOf(seq: number, pages: number): string {
  return seq < 0 ? `flush${-seq}` : `page${(seq * 7919) % pages}`;
}
