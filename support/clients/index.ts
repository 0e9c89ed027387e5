import type { Config, Endpoint } from '../engine/config';
import { endpointHint } from '../engine/config';
import { EndpointError, errorText, NotVerifiedError } from '../engine/errors';
import { tcpConnect } from './net';
import { KubeClient } from './kube/client';
import { PrometheusClient } from './prometheus';
import { LokiClient } from './loki';
import { InfluxClient } from './influx';
import { GrafanaClient } from './grafana';
import { KafkaClient } from './kafka';
import { K6Runner } from './k6';
import { AlertmanagerClient } from './alertmanager';
import { WebhookSinkClient } from './webhook-sink';

/**
 * The run's clients, built on first use from the config and shared by every
 * scenario. Endpoints configured as in-cluster services (namespace/name:port)
 * are resolved through the Kubernetes client to their ClusterIP, which the
 * lab's node routes; elsewhere the error says how to give a URL instead.
 */
export class Clients {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly closers: (() => Promise<void>)[] = [];
  private kubeClient?: KubeClient;

  constructor(readonly config: Config) {}

  /** The Kubernetes client (throws a clear error when no cluster is configured). */
  kube(): KubeClient {
    this.kubeClient ??= new KubeClient(this.config.kube);
    return this.kubeClient;
  }

  /**
   * An endpoint with a reachable URL: as configured, or an in-cluster Service's
   * ClusterIP. A component the run declares absent is not verified, with the
   * declared reason; a missing Service or one that refuses is failed (the
   * platform is broken); only a network this machine cannot reach is not verified.
   */
  async reachable(endpoint: Endpoint): Promise<Endpoint & { url: string }> {
    const absent = this.config.absent[endpoint.name];
    if (absent) throw new NotVerifiedError(`${endpoint.name} is declared absent in this run: ${absent}`);
    if (endpoint.url) return endpoint as Endpoint & { url: string };
    if (!endpoint.service) throw new NotVerifiedError(`no ${endpoint.name} endpoint is configured`, endpointHint(endpoint));
    const { namespace, name, port } = endpoint.service;
    const k = this.kubeForServices(endpoint);
    const svc = await k.core.readNamespacedService({ name, namespace }).catch((e) => {
      throw new EndpointError(
        k.server,
        `read Service ${namespace}/${name} (${endpoint.name})`,
        errorText(e).split('\n')[0],
        `deploy it, or ${endpointHint(endpoint)}`,
      );
    });
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') throw new EndpointError(k.server, `Service ${namespace}/${name} (${endpoint.name})`, 'has no ClusterIP');
    const tcp = await tcpConnect(ip, port, 1500);
    if (tcp.state === 'refused')
      throw new EndpointError(
        `${ip}:${port}`,
        `connect to ${endpoint.name} (Service ${namespace}/${name})`,
        `${tcp.detail}: the service is down or has no ready endpoints`,
      );
    if (tcp.state !== 'open') {
      throw new NotVerifiedError(
        `${endpoint.name}: Service ${namespace}/${name} cannot be reached from this machine (${tcp.detail})`,
        `run \`kubectl port-forward -n ${namespace} svc/${name} ${port}\` and ${endpointHint(endpoint, `http://127.0.0.1:${port}`)}`,
      );
    }
    const scheme = endpoint.tls && Object.keys(endpoint.tls).length ? 'https' : 'http';
    return { ...endpoint, url: `${scheme}://${ip}:${port}` };
  }

  /** A run without a cluster (component tests) cannot resolve a Service: that endpoint cannot be checked here. */
  private kubeForServices(endpoint: Endpoint): KubeClient {
    try {
      return this.kube();
    } catch (e) {
      const { namespace, name, port } = endpoint.service!;
      throw new NotVerifiedError(
        `${endpoint.name} is configured as Service ${namespace}/${name}:${port}, but this run has no cluster to reach it (${errorText(e).split('\n')[0]})`,
        endpointHint(endpoint),
      );
    }
  }

  prometheus(): Promise<PrometheusClient> {
    return this.once(
      'prometheus',
      async () => new PrometheusClient(await this.reachable(this.config.prometheus), { requestTimeoutMs: this.config.timeouts.request }),
    );
  }

  loki(): Promise<LokiClient> {
    return this.once(
      'loki',
      async () => new LokiClient(await this.reachable(this.config.loki), { requestTimeoutMs: this.config.timeouts.request, tenant: this.config.loki.tenant }),
    );
  }

  influx(): Promise<InfluxClient> {
    return this.once('influx', async () => {
      const endpoint = await this.reachable(this.config.influx);
      return new InfluxClient(
        { ...this.config.influx, ...endpoint },
        { requestTimeoutMs: this.config.timeouts.request, database: this.config.influx.database },
      );
    });
  }

  grafana(): Promise<GrafanaClient> {
    return this.once('grafana', async () => new GrafanaClient(await this.reachable(this.config.grafana), { requestTimeoutMs: this.config.timeouts.request }));
  }

  alertmanager(): Promise<AlertmanagerClient> {
    return this.once(
      'alertmanager',
      async () => new AlertmanagerClient(await this.reachable(this.config.alertmanager), { requestTimeoutMs: this.config.timeouts.request }),
    );
  }

  webhookSink(): Promise<WebhookSinkClient> {
    return this.once(
      'webhookSink',
      async () => new WebhookSinkClient(await this.reachable(this.config.webhookSink), { requestTimeoutMs: this.config.timeouts.request }),
    );
  }

  /** Kafka speaks its own protocol: its brokers must be reachable from here (the lab routes pod and service IPs). */
  kafka(): Promise<KafkaClient> {
    return this.once('kafka', async () => KafkaClient.fromConfig(this.config));
  }

  k6(): Promise<K6Runner> {
    return this.once('k6', async () => K6Runner.fromConfig(this.config));
  }

  /** Registers something to close when the run ends (consumers, watches). */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closers.reverse().map((c) => c()));
  }

  private once<T>(key: string, create: () => Promise<T>): Promise<T> {
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
