import { arch, cpus, platform, totalmem } from 'node:os';

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `n` rounded to a whole number, with thousands separators. */
export function formatCount(n: number): string {
  return wholeNumber.format(n);
}

export function mebibytes(bytes: number): string {
  return `${formatCount(bytes / 2 ** 20)} MiB`;
}

/** CPUs, memory, OS and Node version, so that figures can be compared with the machine that made them. */
export function machineSummary(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${mebibytes(totalmem())} RAM, ${platform()} ${arch()}, node ${process.version}`;
}

/** Prints `rows` under `header` in aligned columns: those in `leftAligned` padded on the right, numbers on the left. */
export function printReportTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, leftAligned: ReadonlySet<number> = new Set([0])): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column]!.length)));
  for (const cells of [header, ...rows]) {
    console.log(cells.map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
  }
}
