/**
 * Runs `body` with whatever it writes to stdout (a user's module logging as it loads) sent to stderr instead, so
 * that the command's own output on stdout stays what it says it is (`describe --format json` stays JSON).
 */
export async function withStdoutToStderr<T>(body: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await body();
  } finally {
    process.stdout.write = write;
  }
}
