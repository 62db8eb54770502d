import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs each selected workload of a bench script in a fresh child process of that same script, one after another,
 * so that each one's peak RSS is its own. In the parent, resolves with every selected workload and its result; in
 * a child (started with its workload's index as argument), runs that workload, sends the result to the parent and
 * resolves with `undefined`.
 */
export async function runEachInChild<W extends { readonly name: string }, R>(
  scriptUrl: string,
  workloads: readonly W[],
  run: (workload: W) => R,
  selected: (workload: W) => boolean = () => true,
): Promise<Array<{ workload: W; result: R }> | undefined> {
  const workloadIndex = process.argv[2];
  if (workloadIndex !== undefined) {
    process.send!(run(workloads[Number(workloadIndex)]!));
    return undefined;
  }
  const results: Array<{ workload: W; result: R }> = [];
  for (let index = 0; index < workloads.length; index++) {
    const workload = workloads[index]!;
    if (selected(workload)) results.push({ workload, result: await runInChild<R>(scriptUrl, index, workload.name) });
  }
  return results;
}

function runInChild<R>(scriptUrl: string, index: number, name: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(scriptUrl), [String(index)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => resolve(result as R));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`workload ${name} exited with code ${code}`));
    });
  });
}
