import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BadInputError, formatDuration } from '../engine/errors';
import { findExecutable } from '../engine/executable';

/**
 * The Helm CLI (install, upgrade, rollback, uninstall, lint, template) and the
 * decoding of the release records Helm keeps in the cluster. Reading a release
 * needs no helm binary: Helm 3 stores each revision in a Secret
 * `sh.helm.release.v1.<name>.v<revision>` (type helm.sh/release.v1) whose
 * `release` key is base64 of gzip of the release JSON.
 */

/** The parts of a Helm release record the checks read. */
export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; description?: string; first_deployed?: string; last_deployed?: string };
  chart: { metadata: { name: string; version: string; appVersion?: string }; values?: Record<string, unknown> };
  /** The values given at install/upgrade (what `helm get values` prints). */
  config?: Record<string, unknown>;
  manifest?: string;
}

export const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** A release Secret's `release` value (as the API returns it in `data`) → the release record. */
export function decodeHelmRelease(data: string): HelmRelease {
  // `data` is base64 (Kubernetes) of Helm's own base64 of gzip(JSON).
  const helmText = Buffer.from(data, 'base64').toString('utf8');
  let bytes = Buffer.from(helmText, 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return JSON.parse(bytes.toString('utf8')) as HelmRelease;
}

/** The release Secret's name for a revision: sh.helm.release.v1.<name>.v<revision>. */
export function helmReleaseSecretName(release: string, revision: number): string {
  return `sh.helm.release.v1.${release}.v${revision}`;
}

/**
 * The value at a dotted path (`image.tag`, `ingress.hosts[0].host`, `env.PORT`) in the values as Helm
 * computes them: the chart's defaults with the given values merged over them; where it came from.
 */
export function helmValueAt(release: HelmRelease, path: string): { found: boolean; value?: unknown; source: 'given' | 'chart default' | 'none' } {
  const keys = valuePath(path);
  const given = lookup(release.config ?? {}, keys);
  if (given.found) return { ...given, source: 'given' };
  const byDefault = lookup(release.chart.values ?? {}, keys);
  return byDefault.found ? { ...byDefault, source: 'chart default' } : { found: false, source: 'none' };
}

/** `a.b[0].c` → ['a', 'b', 0, 'c']. */
export function valuePath(path: string): (string | number)[] {
  if (!/^[A-Za-z0-9_-]+(\[\d+\])*(\.[A-Za-z0-9_-]+(\[\d+\])*)*$/.test(path))
    throw new BadInputError(`"${path}" is not a values path`, 'write it as in --set: image.tag, ingress.hosts[0].host, env.PORT');
  return path.split('.').flatMap((part) => {
    const [key, ...indexes] = part.split('[');
    return [key, ...indexes.map((i) => Number(i.slice(0, -1)))];
  });
}

function lookup(root: unknown, keys: (string | number)[]): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as Record<string | number, unknown>))) return { found: false };
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return { found: true, value: cur };
}

/** A value as it reads in a feature: strings bare, numbers and booleans as written, objects as JSON. */
export function helmValueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Values whose key looks secret are never shown (reports, messages, logs). */
export function secretLooking(path: string): boolean {
  return /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key/i.test(path);
}

export interface HelmRun {
  /** The command line as run (secret-looking --set values masked). */
  command: string;
  exitCode: number | undefined;
  ok: boolean;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

const CACHE_BIN = join(process.env.KUBEPROOF_CACHE ?? join(homedir(), '.cache', 'kubeproof'), 'bin', 'helm');

/** Runs helm against one cluster; its repository cache and config live in a private directory, never the user's. */
export class HelmCli {
  private readonly home = join(tmpdir(), `kubeproof-helm-${process.getuid?.() ?? 'u'}`);

  constructor(
    private readonly kube: { kubeconfig?: string; context?: string },
    readonly binary = 'helm',
  ) {}

  /** The helm executable: on PATH, else the lab's build; fails with how to get one. */
  resolveBinary(): string {
    const found = findExecutable(this.binary) ?? (this.binary === 'helm' ? findExecutable(CACHE_BIN) : undefined);
    if (!found)
      throw new BadInputError(
        `the Helm CLI "${this.binary}" was not found on PATH nor at ${CACHE_BIN}`,
        'build it with `bash lab/components/helm.sh` (Helm v3 from the Go module proxy into ~/.cache/kubeproof/bin), or put helm v3 on PATH',
      );
    return found;
  }

  /** `helm <args>` with the run's kubeconfig; never rejects: the caller reads exitCode and the output. */
  async run(args: string[], timeoutMs: number, signal?: AbortSignal): Promise<HelmRun> {
    const binary = this.resolveBinary();
    const kubeArgs = [
      ...(this.kube.kubeconfig ? ['--kubeconfig', this.kube.kubeconfig] : []),
      ...(this.kube.context ? ['--kube-context', this.kube.context] : []),
    ];
    mkdirSync(this.home, { recursive: true });
    const started = performance.now();
    const { execa } = await import('execa');
    const res = await execa(binary, [...args, ...kubeArgs], {
      reject: false,
      timeout: timeoutMs,
      forceKillAfterDelay: 5000,
      cancelSignal: signal,
      stdin: 'ignore',
      maxBuffer: 50_000_000,
      env: {
        HELM_CACHE_HOME: join(this.home, 'cache'),
        HELM_CONFIG_HOME: join(this.home, 'config'),
        HELM_DATA_HOME: join(this.home, 'data'),
        NO_COLOR: '1',
      },
    });
    return {
      command: ['helm', ...maskSetArgs(args)].join(' '),
      exitCode: res.exitCode,
      ok: res.exitCode === 0 && !res.timedOut,
      timedOut: res.timedOut,
      durationMs: Math.round(performance.now() - started),
      stdout: String(res.stdout ?? ''),
      stderr: res.timedOut ? `${String(res.stderr ?? '')}\n(helm killed after ${formatDuration(timeoutMs)})` : String(res.stderr ?? ''),
    };
  }
}

/** `--set key=value` with a secret-looking key → `--set key=***`. */
export function maskSetArgs(args: string[]): string[] {
  return args.map((a, i) => {
    if (!/^--set(-string)?$/.test(args[i - 1] ?? '')) return a;
    const eq = a.indexOf('=');
    return eq > 0 && secretLooking(a.slice(0, eq)) ? `${a.slice(0, eq)}=***` : a;
  });
}
