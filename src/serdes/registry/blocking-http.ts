import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: { readonly [name: string]: string };
  readonly body?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

type WorkerReply = { readonly seq: number; readonly status: number; readonly body: string } | { readonly seq: number; readonly error: string };

/**
 * The worker's whole program, plain JavaScript so that it runs the same from the TypeScript sources (under tsx)
 * and from the built package, with no loader: it performs each request it receives with `fetch`, posts the answer
 * on its port, then wakes the waiting thread through the shared flag.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
port.on('message', async ({ seq, request, timeoutMs }) => {
  let reply;
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs) });
    reply = { seq, status: response.status, body: await response.text() };
  } catch (error) {
    reply = { seq, error: String(error && error.cause ? error.message + ': ' + error.cause.message : error) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * Synchronous HTTP for code that must answer synchronously, as a serde must: the request runs in a worker thread
 * while this thread blocks on a shared flag (`Atomics.wait`), then the answer is taken off the port without the
 * event loop (`receiveMessageOnPort`). It blocks this thread for one round trip, so it is meant for what is
 * fetched once and cached (schemas by id), not for a call per record. The worker starts on the first request and
 * does not keep the process alive.
 */
export class BlockingHttp {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private flag: Int32Array | null = null;
  private seq = 0;

  constructor(private readonly timeoutMs: number) {}

  /** The answer to `request`, whatever its status; throws when the server cannot be reached or does not answer in time. */
  request(request: HttpRequest): HttpAnswer {
    const { port, flag } = this.connection();
    const seq = ++this.seq;
    Atomics.store(flag, 0, 0);
    port.postMessage({ seq, request, timeoutMs: this.timeoutMs });
    const deadline = Date.now() + this.timeoutMs + 1000;
    for (;;) {
      // Cleared before the port is read: a reply posted after this read sets the flag after the clearing, so the wait below sees it.
      Atomics.store(flag, 0, 0);
      const reply = this.replyTo(seq, port);
      if (reply !== null) {
        if ('error' in reply) throw new Error(`${request.method} ${request.url} failed: ${reply.error}`);
        return { status: reply.status, body: reply.body };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${request.method} ${request.url} got no answer within ${this.timeoutMs} ms`);
      Atomics.wait(flag, 0, 0, left);
    }
  }

  /** Ends the worker; a later request starts a new one. */
  close(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.flag = null;
  }

  /** The reply to request `seq`, dropping late replies to earlier requests that timed out. */
  private replyTo(seq: number, port: MessagePort): WorkerReply | null {
    for (;;) {
      const received = receiveMessageOnPort(port);
      if (received === undefined) return null;
      const reply = received.message as WorkerReply;
      if (reply.seq === seq) return reply;
    }
  }

  private connection(): { port: MessagePort; flag: Int32Array } {
    if (this.port === null || this.flag === null) {
      const { port1, port2 } = new MessageChannel();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.worker = worker;
      this.port = port1;
      this.flag = flag;
    }
    return { port: this.port, flag: this.flag };
  }
}
