import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { brokerLayout, selectedKafkaVersion } from '../../../scripts/kafka/broker-layout.js';
import { killBroker, removeBroker, startBroker, type SecuredBroker } from '../../../scripts/kafka/local-broker.js';

/**
 * A broker of one test's own, which the test may SIGKILL and restart on its data: never the shared broker in
 * KAFKA_BROKERS that other tests (and other people) use. It lives in `.kafka/<name>/` with its own free ports and
 * the project's cached jars; `remove` stops it and deletes its folder.
 */
export class DedicatedBroker {
  private constructor(
    private readonly name: string,
    private address: string,
    /** Its SASL and TLS listeners, when started with `security`. */
    readonly secured: SecuredBroker | undefined,
  ) {}

  /** Starts a fresh broker in `.kafka/<prefix>-<random>/`; a few seconds (more on a busy machine). */
  static async start(prefix: string, options: { security?: boolean } = {}): Promise<DedicatedBroker> {
    const name = `${prefix}-${randomUUID().slice(0, 8)}`;
    const { broker } = await startBroker(log(name), { name, security: options.security === true });
    return new DedicatedBroker(name, broker.brokers, broker.secured);
  }

  /** `host:port` of the broker (the same after a restart). */
  get brokers(): string {
    return this.address;
  }

  /** Where its server.log is, for a failing test to point at. */
  get logFile(): string {
    return join(brokerLayout(selectedKafkaVersion().version, undefined, this.name).logsDir, 'server.log');
  }

  /** SIGKILL: a crash, no controlled shutdown. Resolves once the process is gone. */
  async kill(): Promise<void> {
    if ((await killBroker({ name: this.name })) !== 'killed') throw new Error(`the broker ${this.name} was not running`);
  }

  /** Starts the broker again on the data and ports of its last run; resolves once it serves. */
  async restart(): Promise<void> {
    const { broker } = await startBroker(log(this.name), { name: this.name, keepData: true });
    this.address = broker.brokers;
  }

  /** Stops the broker and deletes its folder (`keepFiles` keeps the folder, its logs, for a failure to be read). */
  async remove(keepFiles = false): Promise<void> {
    if (keepFiles) await killBroker({ name: this.name });
    else await removeBroker({ name: this.name });
  }
}

function log(name: string): (message: string) => void {
  return (message) => {
    if (process.env.KSTREAMS_TEST_LOG !== undefined) console.error(`[${name}] ${message}`);
  };
}
