import { request } from 'node:http';
import type { HostInfo } from './query-config.js';

/** Marks a request one instance passed to another: the receiver answers from its own state, never passing it on. */
export const FORWARDED_HEADER = 'x-kstreams-forwarded-by';

export interface ForwardedAnswer {
  readonly forwarded: true;
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | undefined;
}

/**
 * Asks the instance at `host` the same query (one hop). An instance that cannot be reached (it crashed; a
 * rebalance will move its tasks) is an answer of 503, as every other "not now" is; no answer in time is 504.
 */
export function forwardQuery(host: HostInfo, path: string, from: string, timeoutMs: number): Promise<ForwardedAnswer> {
  return new Promise((resolve) => {
    const outgoing = request({ host: host.host, port: host.port, path, method: 'GET', headers: { [FORWARDED_HEADER]: from }, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ forwarded: true, status: response.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8'), retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
      });
      response.on('error', (error) => resolve(unreachable(host, error)));
    });
    outgoing.on('timeout', () => {
      outgoing.destroy();
      resolve({ forwarded: true, status: 504, body: JSON.stringify({ error: 'FORWARD_TIMEOUT', message: `${host.host}:${host.port} did not answer within ${timeoutMs} ms` }), retryAfter: undefined });
    });
    outgoing.on('error', (error) => resolve(unreachable(host, error)));
    outgoing.end();
  });
}

function unreachable(host: HostInfo, error: Error): ForwardedAnswer {
  const message = `the instance at ${host.host}:${host.port} holding the key cannot be reached (${error.message}); retry`;
  return { forwarded: true, status: 503, body: JSON.stringify({ error: 'STORE_NOT_AVAILABLE', message }), retryAfter: '1' };
}
