import { existsSync, readFileSync } from 'node:fs';

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM for a controlled shutdown; SIGKILL only when the process has not ended within `timeoutMs`. */
export async function terminate(pid: number, timeoutMs: number): Promise<'stopped' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped';
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}

/** The JSON state file a started process left (pid, port, …), or `null` when it is missing or unreadable. */
export function readStateFile<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}
