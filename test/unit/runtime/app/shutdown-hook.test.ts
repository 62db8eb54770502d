import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const hookModule = new URL('../../../../src/runtime/app/shutdown-hook.ts', import.meta.url).href;

/**
 * Runs `body` in a child process with a `ShutdownHook` installed whose close prints `closed` (or throws, with
 * `failClose`), keeps the child alive as a server would, sends it SIGTERM once it printed `ready`, and
 * returns how it ended.
 */
async function signalChild(body: string, options: { failClose?: boolean } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const script = `
    import { ShutdownHook } from '${hookModule}';
    const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
    const keepAlive = setInterval(() => {}, 1_000);
    const hook = new ShutdownHook(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (process.argv[1] === 'fail') throw new Error('close failed');
      console.log('closed');
    }, logger);
    hook.install();
    ${body}
    console.log('ready');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, options.failClose === true ? 'fail' : ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('ready') && !child.killed) child.kill('SIGTERM');
  });
  const [code, signal] = (await new Promise((resolve) => child.once('exit', (...ended) => resolve(ended)))) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout };
}

test('SIGTERM closes the client, then the process exits with code 0 though a server keeps it alive', async () => {
  const { code, stdout } = await signalChild('');
  assert.equal(code, 0);
  assert.match(stdout, /ready\nclosed\n/);
});

test('a close that fails exits with code 1', async () => {
  const { code, stdout } = await signalChild('', { failClose: true });
  assert.equal(code, 1);
  assert.doesNotMatch(stdout, /closed/);
});

test('with a SIGTERM listener of the application, the hook closes but leaves the exit to it', async () => {
  const { code, stdout } = await signalChild(`
    process.on('SIGTERM', () => setTimeout(() => { console.log('application exits'); process.exit(3); }, 200));
  `);
  assert.equal(code, 3);
  assert.match(stdout, /closed\napplication exits\n/);
});

test('a removed hook leaves SIGTERM to Node: the process dies of the signal', async () => {
  const { code, signal, stdout } = await signalChild('hook.remove();');
  assert.equal(signal, 'SIGTERM');
  assert.equal(code, null);
  assert.doesNotMatch(stdout, /closed/);
});
