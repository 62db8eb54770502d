import { existsSync, readFileSync } from 'node:fs';

/** The JSON a script wrote once its process served (pid, ports), or `null` when absent or unreadable. */
export function readStateFile<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when `pid` is alive and its command line holds every one of `markers` (a main class, a config file of this
 * checkout): a recorded pid may since belong to another process. Without /proc, alive is all that can be known.
 */
export function isProcessOf(pid: number, markers: readonly string[]): boolean {
  if (!alive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  const args = readFileSync(cmdline, 'utf8');
  return markers.every((marker) => args.includes(marker));
}

/** SIGTERM for a controlled shutdown; SIGKILL only when it does not end within `timeoutMs`. */
export async function terminate(pid: number, timeoutMs: number): Promise<'stopped' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped';
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}
