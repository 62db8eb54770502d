import type { PlannedOffset, ResetReport } from '../runtime/reset/reset-application.js';

/** The reset report as the CLI prints it: what was done or, under `--dry-run`, what would be. */
export function formatResetReport(report: ResetReport, target: string): string {
  const would = (done: string, planned: string) => (report.dryRun ? planned : done);
  const lines = [
    report.dryRun ? `Dry run: nothing changed. Resetting application ${report.applicationId} would:` : `Reset application ${report.applicationId}:`,
    ...section(`${would('moved', 'move')} the input offsets of group ${report.applicationId} to ${target}`, report.inputOffsets.map(offsetLine)),
    ...section(`${would('moved', 'move')} the intermediate topic offsets to their end`, report.intermediateOffsets.map(offsetLine)),
    ...section(`${would('deleted', 'delete')} the internal topics`, report.internalTopics),
    report.stateDirectory === null ? '  found no local state' : `  ${would('removed', 'remove')} the local state ${report.stateDirectory}`,
  ];
  return `${lines.join('\n')}\n`;
}

function offsetLine(o: PlannedOffset): string {
  return `${o.topic} partition ${o.partition}: ${o.committed ?? 'none'} -> ${o.offset}`;
}

function section(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`  ${title}:`, ...items.map((item) => `    ${item}`)];
}
