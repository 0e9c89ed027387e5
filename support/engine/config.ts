import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from './errors';
import { parseDuration } from './duration';

/**
 * Typed configuration from the environment (KUBEPROOF_*) and the cucumber
 * profile's worldParameters. Environment wins, so one profile serves many
 * clusters. Every credential read here is registered for redaction.
 */

export interface TlsOptions {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
  serverName?: string;
}

export interface AuthOptions {
  bearerToken?: string;
  username?: string;
  password?: string;
}

/**
 * Where an HTTP service is: a URL reachable from here, or a Service inside the
 * cluster (namespace/name:port) that the clients reach at its ClusterIP.
 */
export interface Endpoint {
  name: string;
  url?: string;
  service?: { namespace: string; name: string; port: number };
  auth?: AuthOptions;
  tls?: TlsOptions;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  tls?: TlsOptions;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** Timeouts per kind of operation, in ms (Chainsaw-style defaults, widened where clusters are slow). */
export interface Timeouts {
  apply: number;
  assert: number;
  delete: number;
  cleanup: number;
  rollout: number;
  request: number;
}

/** Where the cluster comes from, decided once per run (see resolveCluster). */
export interface KubeConfigRef {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  /** How the cluster was found, said at the top of the report; 'none' when there is no cluster at all. */
  source: 'KUBECONFIG' | 'default kubeconfig' | 'lab' | 'none';
}

/** Images of the pods kubeproof itself starts (probe, node runner); the lab's local builds by default. */
export interface ImageSet {
  probe: string;
  node: string;
  pullPolicy: string;
}

export interface Config {
  kube: KubeConfigRef;
  images: ImageSet;
  prometheus: Endpoint;
  loki: Endpoint & { tenant?: string };
  grafana: Endpoint;
  influx: Endpoint & { database: string };
  alertmanager: Endpoint;
  /** The webhook sink Alertmanager notifies (services/webhook-sink): where "the receiver … is notified" reads. */
  webhookSink: Endpoint;
  kafka: KafkaConfig;
  k6: { binary: string };
  /** The kubeseal CLI (KUBEPROOF_KUBESEAL_BIN; default `kubeseal` on PATH, then ~/.cache/kubeproof/bin/kubeseal). */
  kubeseal: { binary: string };
  /** The ingress controller's Service (KUBEPROOF_INGRESS_SERVICE, `namespace/name`): where ingress checks connect when set, instead of the address an Ingress's status publishes. */
  ingress: { service?: string };
  /**
   * How this cluster stops and starts a node (KUBEPROOF_NODE_DOWN_COMMAND / KUBEPROOF_NODE_UP_COMMAND,
   * shell commands where `{node}` is the node's name): what "the node … goes down" runs. Unset: not verified.
   */
  nodeCommands: { down?: string; up?: string };
  timeouts: Timeouts;
  keepOnFailure: boolean;
  /** A certificate expiring sooner than this fails the TLS checks (KUBEPROOF_TLS_MIN_VALIDITY, default 7 days). */
  tlsMinValidityMs: number;
  /**
   * How long pods must stay Ready before a readiness check passes (KUBEPROOF_READY_HOLD, default 3s):
   * a container without a readiness probe is Ready for a moment between two crashes.
   */
  readyHoldMs: number;
  reportsDir: string;
  /** The platform team's repository checkout (KUBEPROOF_PLATFORM_DIR), for the repository criteria. */
  platformDir?: string;
  /** This run's id (KUBEPROOF_RUN_ID; `npm run verify` sets one for all its milestone runs): observations go to <reports>/observations/<id>/. */
  runId: string;
  /**
   * Where the plan's outputs are written (KUBEPROOF_OUTPUTS_DIR or the world parameter outputsDir):
   * default <reports>/outputs; `platform` = the platform repository's outputs/; `none` = not written.
   */
  outputsDir?: string;
  /**
   * Components the run declares absent, with the reason (KUBEPROOF_ABSENT="grafana=why;other=why"):
   * their criteria are not verified with that reason. Anything else missing or down is failed.
   */
  absent: Record<string, string>;
  /** Whether the run needs a cluster: 'required' stops it before the first scenario when there is none. */
  cluster: 'required' | 'optional';
  /** Every secret value read from config, for redaction. */
  secrets: string[];
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  apply: 5_000,
  assert: 30_000,
  delete: 15_000,
  cleanup: 30_000,
  rollout: 120_000,
  request: 10_000,
};

type Env = Record<string, string | undefined>;
type Params = Record<string, unknown>;

export function loadConfig(env: Env = process.env, params: Params = {}): Config {
  const secrets: string[] = [];
  const read = (name: string): string | undefined => {
    const fromEnv = env[`KUBEPROOF_${name}`];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const key = name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const fromProfile = params[key];
    return fromProfile === undefined || fromProfile === null ? undefined : String(fromProfile);
  };
  const secret = (name: string): string | undefined => {
    const value = read(name);
    if (value) secrets.push(value);
    return value;
  };
  const file = (name: string): string | undefined => {
    const path = read(name);
    if (path && !existsSync(path)) {
      throw new BadInputError(`KUBEPROOF_${name}=${path}: file not found`, 'point it at an existing PEM file or unset it');
    }
    return path;
  };
  const bool = (name: string): boolean => {
    const v = read(name);
    if (v === undefined) return false;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new BadInputError(`KUBEPROOF_${name}="${v}" is not a boolean`, 'use true or false');
  };

  const endpoint = (prefix: string, defaults: { service?: string }): Endpoint => {
    const url = read(`${prefix}_URL`);
    if (url && !/^https?:\/\/[^/\s]+/.test(url)) {
      throw new BadInputError(`KUBEPROOF_${prefix}_URL="${url}" is not an http(s) URL`, 'write it like http://127.0.0.1:9090');
    }
    const serviceRef = read(`${prefix}_SERVICE`) ?? (url ? undefined : defaults.service);
    return {
      name: prefix.toLowerCase(),
      url: url?.replace(/\/+$/, ''),
      service: serviceRef ? parseServiceRef(serviceRef, `KUBEPROOF_${prefix}_SERVICE`) : undefined,
      auth: compact({
        bearerToken: secret(`${prefix}_TOKEN`),
        username: read(`${prefix}_USERNAME`),
        password: secret(`${prefix}_PASSWORD`),
      }),
      tls: compact({
        caFile: file(`${prefix}_CA_FILE`),
        certFile: file(`${prefix}_CERT_FILE`),
        keyFile: file(`${prefix}_KEY_FILE`),
        insecureSkipVerify: bool(`${prefix}_INSECURE_SKIP_VERIFY`) || undefined,
        serverName: read(`${prefix}_SERVER_NAME`),
      }),
    };
  };

  const namespace = read('NAMESPACE') ?? 'conveyor-pipeline';
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const kind of Object.keys(timeouts) as (keyof Timeouts)[]) {
    const v = read(`TIMEOUT_${kind.toUpperCase()}`);
    if (v) timeouts[kind] = parseDuration(v, `KUBEPROOF_TIMEOUT_${kind.toUpperCase()}`);
  }

  const kafkaUser = read('KAFKA_USERNAME');
  const kafkaPassword = secret('KAFKA_PASSWORD');
  const kafkaTls = endpoint('KAFKA', {}).tls;

  return {
    kube: { ...resolveCluster(env.KUBECONFIG || read('KUBECONFIG'), read('LAB_KUBECONFIG') ?? LAB_KUBECONFIG), context: read('CONTEXT'), namespace },
    images: {
      probe: read('PROBE_IMAGE') ?? 'kubeproof.local/probe:bookworm-1',
      node: read('NODE_IMAGE') ?? 'kubeproof.local/node:24.21.0',
      pullPolicy: read('IMAGE_PULL_POLICY') ?? 'IfNotPresent',
    },
    prometheus: endpoint('PROMETHEUS', { service: `${namespace}/prometheus-service:9090` }),
    loki: { ...endpoint('LOKI', { service: `${namespace}/loki:3100` }), tenant: read('LOKI_TENANT') },
    grafana: endpoint('GRAFANA', { service: `${namespace}/grafana:3000` }),
    influx: {
      ...endpoint('INFLUX', { service: `${namespace}/influxdb:8086` }),
      database: read('INFLUX_DATABASE') ?? 'conveyor',
    },
    alertmanager: endpoint('ALERTMANAGER', { service: `${namespace}/alertmanager:9093` }),
    webhookSink: endpoint('WEBHOOK_SINK', { service: `${namespace}/webhook-sink:8080` }),
    kafka: {
      brokers: (read('KAFKA_BROKERS') ?? `kafka.${namespace}.svc:9092`)
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      clientId: read('KAFKA_CLIENT_ID') ?? 'kubeproof',
      tls: kafkaTls && Object.keys(kafkaTls).length ? kafkaTls : bool('KAFKA_TLS') ? {} : undefined,
      sasl:
        kafkaUser && kafkaPassword
          ? { mechanism: (read('KAFKA_SASL_MECHANISM') ?? 'plain') as 'plain', username: kafkaUser, password: kafkaPassword }
          : undefined,
    },
    k6: { binary: read('K6_BIN') ?? 'k6' },
    kubeseal: { binary: read('KUBESEAL_BIN') ?? 'kubeseal' },
    ingress: { service: read('INGRESS_SERVICE') },
    nodeCommands: { down: read('NODE_DOWN_COMMAND'), up: read('NODE_UP_COMMAND') },
    timeouts,
    keepOnFailure: bool('KEEP_ON_FAILURE'),
    tlsMinValidityMs: parseDuration(read('TLS_MIN_VALIDITY') ?? '168h', 'KUBEPROOF_TLS_MIN_VALIDITY'),
    readyHoldMs: parseDuration(read('READY_HOLD') ?? '3s', 'KUBEPROOF_READY_HOLD'),
    reportsDir: read('REPORTS_DIR') ?? 'reports',
    platformDir: read('PLATFORM_DIR'),
    runId: read('RUN_ID') ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`,
    outputsDir: outputsDir(read('OUTPUTS_DIR'), read('REPORTS_DIR') ?? 'reports', read('PLATFORM_DIR')),
    absent: parseAbsent(read('ABSENT')),
    cluster: clusterNeed(read('CLUSTER')),
    secrets,
  };
}

function outputsDir(value: string | undefined, reportsDir: string, platformDir: string | undefined): string | undefined {
  if (value === 'none') return undefined;
  if (value === 'platform') {
    if (!platformDir)
      throw new BadInputError(
        'KUBEPROOF_OUTPUTS_DIR=platform needs the platform repository',
        'set KUBEPROOF_PLATFORM_DIR to its checkout, or give a directory',
      );
    return `${platformDir.replace(/\/+$/, '')}/outputs`;
  }
  return value ?? `${reportsDir}/outputs`;
}

/** `namespace/name:port` → service reference. */
export function parseServiceRef(ref: string, where: string): NonNullable<Endpoint['service']> {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+):(\d+)$/.exec(ref.trim());
  if (!m) throw new BadInputError(`${where}="${ref}" is not a service reference`, 'write it as namespace/name:port, e.g. monitoring/prometheus:9090');
  return { namespace: m[1], name: m[2], port: Number(m[3]) };
}

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

/** What to do when there is no cluster, said once wherever that is found. */
export const NO_CLUSTER_HINT = 'start the lab (npm run lab:up, as root), or point KUBECONFIG at a cluster (KUBEPROOF_CONTEXT picks a context)';

/** The kubeconfig the lab writes when it starts (lab/up.sh). */
export const LAB_KUBECONFIG = '/var/lib/kubeproof-lab/kubeconfig';

/**
 * The cluster, resolved once: KUBECONFIG as usual, else ~/.kube/config; with
 * neither, the running lab is the embedded default; else there is none.
 */
export function resolveCluster(kubeconfig: string | undefined, labKubeconfig: string, home = homedir()): Pick<KubeConfigRef, 'kubeconfig' | 'source'> {
  if (kubeconfig) return { kubeconfig, source: 'KUBECONFIG' };
  const fallback = join(home, '.kube', 'config');
  if (existsSync(fallback)) return { kubeconfig: fallback, source: 'default kubeconfig' };
  if (existsSync(labKubeconfig)) return { kubeconfig: labKubeconfig, source: 'lab' };
  return { source: 'none' };
}

/** `grafana=no Grafana server can be built here;jaeger=…` → { grafana: '…' }. */
export function parseAbsent(value: string | undefined): Record<string, string> {
  const absent: Record<string, string> = {};
  for (const entry of (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9-]+)\s*=\s*(.+)$/.exec(entry);
    if (!m) throw new BadInputError(`KUBEPROOF_ABSENT entry "${entry}" is not name=reason`, 'write it like grafana=no Grafana server can be built here');
    absent[m[1]] = m[2].trim();
  }
  return absent;
}

function clusterNeed(value: string | undefined): Config['cluster'] {
  if (value === undefined || value === 'required') return 'required';
  if (value === 'optional') return 'optional';
  throw new BadInputError(
    `KUBEPROOF_CLUSTER="${value}" is not required or optional`,
    'unset it, or use optional for runs that need no cluster (component tests)',
  );
}

/** How to give an endpoint that cannot be reached: the variables that configure it. */
export function endpointHint(endpoint: Pick<Endpoint, 'name'>, example = 'http://127.0.0.1:9090'): string {
  const upper = endpoint.name.toUpperCase();
  return `set KUBEPROOF_${upper}_URL (e.g. ${example}) or KUBEPROOF_${upper}_SERVICE=namespace/name:port`;
}
