/**
 * A small seeded PRNG (mulberry32): the same seed gives the same numbers on every machine and Node version, which
 * `Math.random` does not promise. Fault schedules are drawn from it so that a failing seed replays; the parity
 * scenarios, the bench inputs and the demo's clicks too, so that every run sees the same ones.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(choices: readonly T[]): T {
    if (choices.length === 0) throw new Error('pick from an empty list');
    return choices[Math.floor(this.next() * choices.length)]!;
  }

  /** Whether an event of the given probability happens this time. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }
}
