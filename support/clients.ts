import type { Config, Endpoint } from './config';
import { NotVerifiedError } from './errors';
import { PrometheusClient } from './prometheus';
import { LokiClient } from './loki';
import { InfluxClient } from './influx';
import { GrafanaClient } from './grafana';
import { KafkaClient } from './kafka';
import { K6Runner } from './k6';

/**
 * Resolves an in-cluster service reference (namespace/name:port) to a URL this
 * process can reach, with the auth needed on the way (e.g. the API server's
 * service proxy). Registered by the kube layer; absent when there is no cluster.
 */
export type ServiceResolver = (endpoint: Endpoint) => Promise<Endpoint & { url: string }>;

let serviceResolver: ServiceResolver | undefined;

export function registerServiceResolver(resolver: ServiceResolver): void {
  serviceResolver = resolver;
}

/**
 * The run's clients, built on first use from the config. Endpoints given as
 * in-cluster services are resolved once, through the registered resolver.
 */
export class Clients {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(readonly config: Config) {}

  /** An endpoint with a reachable URL, or NotVerifiedError saying how to give one. */
  async reachable(endpoint: Endpoint): Promise<Endpoint & { url: string }> {
    if (endpoint.url) return endpoint as Endpoint & { url: string };
    const upper = endpoint.name.toUpperCase();
    if (endpoint.service && serviceResolver) return serviceResolver(endpoint);
    throw new NotVerifiedError(
      `no ${endpoint.name} endpoint is reachable`,
      endpoint.service
        ? `${endpoint.name} is configured as service ${endpoint.service.namespace}/${endpoint.service.name}:${endpoint.service.port}, but no cluster connection is available to reach it; set KUBEPROOF_${upper}_URL or check the kubeconfig`
        : `set KUBEPROOF_${upper}_URL (e.g. http://127.0.0.1:9090) or KUBEPROOF_${upper}_SERVICE=namespace/name:port`,
    );
  }

  prometheus(): Promise<PrometheusClient> {
    return this.once('prometheus', async () => {
      const endpoint = await this.reachable(this.config.prometheus);
      return new PrometheusClient(endpoint, { requestTimeoutMs: this.config.timeouts.request });
    });
  }

  loki(): Promise<LokiClient> {
    return this.once('loki', async () => new LokiClient(await this.reachable(this.config.loki), { requestTimeoutMs: this.config.timeouts.request }));
  }

  influx(): Promise<InfluxClient> {
    return this.once('influx', async () => {
      const endpoint = await this.reachable(this.config.influx);
      return new InfluxClient({ ...this.config.influx, ...endpoint }, { requestTimeoutMs: this.config.timeouts.request, database: this.config.influx.database });
    });
  }

  grafana(): Promise<GrafanaClient> {
    return this.once('grafana', async () => new GrafanaClient(await this.reachable(this.config.grafana), { requestTimeoutMs: this.config.timeouts.request }));
  }

  /** Kafka speaks its own protocol (no HTTP proxy): brokers must be reachable from here, e.g. through a port-forward. */
  kafka(): Promise<KafkaClient> {
    return this.once('kafka', async () => KafkaClient.fromConfig(this.config));
  }

  k6(): Promise<K6Runner> {
    return this.once('k6', async () => K6Runner.fromConfig(this.config));
  }

  /** Registers something to close when the run ends (consumers, port-forwards). */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closers.reverse().map((c) => c()));
  }

  protected once<T>(key: string, create: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = create();
      // A failed creation is not cached: the next step may find the endpoint up.
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }
}
