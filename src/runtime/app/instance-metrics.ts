import { ConfigError } from '../../core/errors.js';
import { MetricsServer } from '../metrics/metrics-server.js';
import { createMetricsRegistry, GLOBAL_THREAD, registerStreamsMetrics, type MetricsRegistry, type MetricsSource } from '../metrics/prometheus-metrics.js';
import { ThreadMetricsRecorder } from '../metrics/thread-metrics.js';
import type { ResolvedStreamsConfig } from './streams-config.js';

/**
 * An instance's Prometheus side: its registry (the config's, or one of its own), the optional `/metrics` endpoint
 * and the counters of the global stores' reads, which no stream thread owns.
 */
export class InstanceMetrics {
  readonly registry: MetricsRegistry;
  readonly global = new ThreadMetricsRecorder(GLOBAL_THREAD);
  private server: MetricsServer | null = null;

  constructor(private readonly config: ResolvedStreamsConfig, source: MetricsSource) {
    this.registry = config.metricsRegistry ?? createMetricsRegistry();
    try {
      registerStreamsMetrics(this.registry, source);
    } catch (cause) {
      throw new ConfigError('metricsRegistry', `cannot take this instance's metrics (${(cause as Error).message}): give each KafkaStreams instance a registry of its own`);
    }
  }

  /** Starts the endpoint when the config has a `metricsPort`. */
  async serve(): Promise<void> {
    if (this.config.metricsPort === undefined || this.server !== null) return;
    this.server = await MetricsServer.listen(this.registry, this.config.metricsHost, this.config.metricsPort, this.config.logger);
  }

  /** Where the endpoint serves, once started; `undefined` without one. */
  get url(): string | undefined {
    return this.server?.url;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}
