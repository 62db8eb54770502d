/**
 * Runs a client's fetches one at a time: asked while one is in flight (or hung by a fault), it runs one more after
 * it; a fetch that made progress is followed by the next at once, one that did not waits to be asked.
 */
export class SerialFetches {
  private fetching = false;
  private again = false;

  constructor(
    /** Whether fetching makes sense now (the client runs, its group is stable). */
    private readonly active: () => boolean,
    /** One fetch; resolves whether it read anything. */
    private readonly fetch: () => Promise<boolean>,
  ) {}

  schedule(): void {
    if (!this.active()) return;
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    setImmediate(() => {
      void this.fetch().then((progressed) => {
        this.fetching = false;
        if (progressed || this.again) {
          this.again = false;
          this.schedule();
        }
      });
    });
  }
}
