import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `entry` under the same loaders as this thread. Node 20 does not run
 * `--import` preloads in worker threads (the worker inherits `execArgv`, but not its effect), so a worker started
 * plainly from a TypeScript program run with `node --import tsx` could not load `.ts` modules. The worker is
 * started from a small script instead, which replays each `--import` of `process.execArgv` before importing the
 * entry: tsx through its API (`tsx/esm/api`'s `register`, as its `--import` entry registers only on the main
 * thread), anything else by importing it.
 */
export function startWorker(entry: URL, workerData: unknown, execArgv: readonly string[] = process.execArgv): Worker {
  const preloads = preloadsOf(execArgv);
  const script = [
    '(async () => {',
    ...preloads.map((preload) => (preload.tsx ? `  (await import(${JSON.stringify(preload.url)})).register();` : `  await import(${JSON.stringify(preload.url)});`)),
    `  await import(${JSON.stringify(entry.href)});`,
    '})();',
  ].join('\n');
  return new Worker(script, { eval: true, workerData });
}

interface Preload {
  readonly url: string;
  readonly tsx: boolean;
}

/** The `--import` specifiers of `execArgv`, resolved here (relative ones against the working directory, as Node does). */
export function preloadsOf(execArgv: readonly string[]): Preload[] {
  const specifiers: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === '--import' && i + 1 < execArgv.length) specifiers.push(execArgv[++i]!);
    else if (arg.startsWith('--import=')) specifiers.push(arg.slice('--import='.length));
  }
  return specifiers.map((specifier) => {
    if (specifier === 'tsx' || specifier === 'tsx/esm') return { url: import.meta.resolve('tsx/esm/api'), tsx: true };
    if (specifier.startsWith('.') || specifier.startsWith('/')) return { url: pathToFileURL(resolve(specifier)).href, tsx: false };
    return { url: specifier.startsWith('file:') ? specifier : import.meta.resolve(specifier), tsx: false };
  });
}
