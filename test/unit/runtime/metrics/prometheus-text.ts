/** Reads Prometheus' text format in tests: the samples of one metric, filtered by labels. */

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}

export function samples(text: string, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const parsed: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) parsed[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([key, value]) => parsed[key] === value)) found.push({ labels: parsed, value: Number(match[3]) });
  }
  return found;
}

export function sampleSum(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samples(text, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}
