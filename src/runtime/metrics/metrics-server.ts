import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamsError } from '../../core/errors.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import type { MetricsRegistry } from './prometheus-metrics.js';

/**
 * `GET /metrics` over plain Node http: the registry in Prometheus' text format. Anything else is a 404, so that a
 * probe of another path does not look like a healthy endpoint.
 */
export class MetricsServer {
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  /** Listens on `host:port` (0: a free port); rejects with `ILLEGAL_STATE` naming the address when it cannot. */
  static async listen(registry: MetricsRegistry, host: string, port: number, logger: TaskLogger): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at GET /metrics\n');
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          logger.warn({ error: String(error) }, 'collecting metrics failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new StreamsError('ILLEGAL_STATE', `cannot serve metrics on ${host}:${port} (config "metricsPort"): ${error.message}`, { cause: error })));
      server.listen(port, host, () => resolve());
    });
    const metrics = new MetricsServer(server);
    logger.info({ url: metrics.url }, 'serving metrics');
    return metrics;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/metrics`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
