import { Option, type Command } from 'commander';
import { describeError } from '../core/errors.js';
import { CliError } from './load-topology.js';
import { UsageError } from './usage-error.js';

interface QueryOptions {
  readonly server: string;
  readonly store?: string;
  readonly key?: string;
  readonly from?: string;
  readonly to?: string;
  readonly windows?: boolean;
  readonly sql?: string;
}

/**
 * `kstreams query`: asks a running instance's query server (`queryServer` in its config) for a key, a range, a key's
 * windows, the instances' metadata, or runs read-only SQL over that instance's stores; prints the JSON answer.
 * A key held by another instance is answered through the one asked. Exits 1 on an error answer (503 during a
 * rebalance: try again), 2 on a usage error.
 */
export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description("query a running instance's HTTP query server: a key, a range, a key's windows, SQL, or the instances' metadata")
    .requiredOption('-s, --server <host:port>', 'the query server of any instance (its queryServer port)')
    .option('--store <name>', 'the store to read')
    .option('-k, --key <key>', 'one key (as text; the server decodes it with the store\'s query key serde)')
    .option('--from <value>', 'range start (a key, or with --windows a window start in ms)')
    .option('--to <value>', 'range end')
    .option('-w, --windows', "the key's windows (a window store), between --from and --to")
    .addOption(new Option('--sql <statement>', 'read-only SQL over the stores of the instance asked').conflicts(['store', 'key']))
    .action(async (options: QueryOptions) => {
      const answer = await fetchAnswer(`http://${options.server}${queryPath(options)}`);
      process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
      if (!answer.ok) process.exitCode = 1;
    });
}

function queryPath(options: QueryOptions): string {
  const range = new URLSearchParams();
  if (options.from !== undefined) range.set('from', options.from);
  if (options.to !== undefined) range.set('to', options.to);
  const search = range.size > 0 ? `?${range}` : '';
  if (options.sql !== undefined) return `/sql?${new URLSearchParams({ q: options.sql })}`;
  if (options.store === undefined) {
    if (options.key !== undefined || options.windows) throw new UsageError('--key and --windows need --store');
    return '/metadata';
  }
  const store = `/stores/${encodeURIComponent(options.store)}/keys`;
  if (options.key === undefined) {
    if (options.windows) throw new UsageError('--windows needs --key');
    return `${store}${search}`;
  }
  return `${store}/${encodeURIComponent(options.key)}${options.windows ? '/windows' : ''}${search}`;
}

async function fetchAnswer(url: string): Promise<{ ok: boolean; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    // fetch() says only "fetch failed"; its cause says why (connection refused, unknown host).
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    throw new CliError(`cannot reach the query server at ${new URL(url).host}: ${describeError(cause)}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { status: response.status, text };
  }
  return { ok: response.ok, body };
}
