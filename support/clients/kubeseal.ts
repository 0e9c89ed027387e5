import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../engine/config';
import { BadInputError, EndpointError, formatDuration } from '../engine/errors';
import { findExecutable } from '../engine/executable';

/**
 * The kubeseal CLI of Sealed Secrets: fetches the controller's public certificate (through the
 * API server's service proxy, as `kubeseal --fetch-cert` does) and seals a Secret OFFLINE with
 * a certificate file — run with no kubeconfig, an empty HOME and no in-cluster variables, so the
 * sealing itself cannot reach any cluster.
 */

/** Where lab/components/kubeseal.sh links the build. */
const CACHE_BIN = join(homedir(), '.cache', 'kubeproof', 'bin', 'kubeseal');

/** The controller kubeseal talks to (its --controller-namespace / --controller-name). */
export interface ControllerRef {
  namespace: string;
  name: string;
}

export interface KubesealRun {
  /** The command line as run (no secret in it: the Secret travels on stdin). */
  command: string;
  stdout: string;
  stderr: string;
  ms: number;
}

export class Kubeseal {
  constructor(
    readonly binary: string,
    private readonly kube: { kubeconfig?: string; context?: string },
    private readonly timeoutMs = 30_000,
  ) {}

  static fromConfig(config: Config): Kubeseal {
    return new Kubeseal(config.kubeseal.binary, config.kube, config.timeouts.request * 3);
  }

  /** The kubeseal executable; fails fast with how to get one. */
  resolveBinary(): string {
    const found = findExecutable(this.binary) ?? (this.binary === 'kubeseal' ? findExecutable(CACHE_BIN) : undefined);
    if (!found)
      throw new BadInputError(
        `kubeseal binary "${this.binary}" not found${this.binary.includes('/') ? '' : ' on PATH or in ~/.cache/kubeproof/bin'}`,
        'build it with `bash lab/components/kubeseal.sh` (the pinned SEALED_SECRETS_VERSION), or set KUBEPROOF_KUBESEAL_BIN=/path/to/kubeseal',
      );
    return found;
  }

  /** `kubeseal --fetch-cert`: the controller's current public certificate (PEM), through the cluster's API server. */
  async fetchCert(controller: ControllerRef): Promise<KubesealRun> {
    const args = ['--fetch-cert', '--controller-namespace', controller.namespace, '--controller-name', controller.name];
    if (this.kube.kubeconfig) args.push('--kubeconfig', this.kube.kubeconfig);
    if (this.kube.context) args.push('--context', this.kube.context);
    const run = await this.run(args, '', { ...process.env });
    if (!/-----BEGIN CERTIFICATE-----/.test(run.stdout))
      throw new EndpointError(
        `service ${controller.namespace}/${controller.name}`,
        `${run.command}`,
        `no certificate in its output${run.stderr ? `: ${run.stderr.trim()}` : ''}`,
        'is the controller running and its Service named as kubeseal expects (--controller-name)?',
      );
    return run;
  }

  /**
   * `kubeseal --cert <file> --format json` with the Secret on stdin, offline: no kubeconfig, an
   * empty HOME, no KUBERNETES_SERVICE_* variables. The Secret must carry its namespace (kubeseal
   * would otherwise ask a cluster for the default one, and fail here).
   */
  async sealOffline(
    secret: object,
    certPem: string,
    scope: 'strict' | 'namespace-wide' | 'cluster-wide' = 'strict',
  ): Promise<KubesealRun & { sealed: SealedSecretObject }> {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-kubeseal-'));
    try {
      const cert = join(dir, 'controller-cert.pem');
      writeFileSync(cert, certPem);
      const home = join(dir, 'home');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(dir, 'no-kubeconfig') };
      const run = await this.run(['--cert', cert, '--scope', scope, '--format', 'json'], JSON.stringify(secret), env);
      let sealed: SealedSecretObject;
      try {
        sealed = JSON.parse(run.stdout) as SealedSecretObject;
      } catch {
        throw new EndpointError('kubeseal', run.command, `its output is not JSON: ${run.stdout.slice(0, 200)}`);
      }
      return { ...run, command: `${run.command.replace(cert, 'controller-cert.pem')} (offline: KUBECONFIG=<none>, HOME=<empty>)`, sealed };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private run(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<KubesealRun> {
    const binary = this.resolveBinary();
    const command = ['kubeseal', ...args].join(' ');
    const started = performance.now();
    return new Promise((done, fail) => {
      const child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), this.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        fail(new EndpointError('kubeseal', command, e.message));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const result = { command, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - started };
        if (code === 0) return done(result);
        const why = signal ? `killed after ${formatDuration(result.ms)} (bound ${formatDuration(this.timeoutMs)})` : `exit code ${code}`;
        fail(new EndpointError('kubeseal', command, `${why}: ${result.stderr.trim() || '(no output)'}`));
      });
      child.stdin.end(stdin);
    });
  }
}

/** The parts of a SealedSecret (bitnami.com/v1alpha1) kubeproof reads. */
export interface SealedSecretObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: { encryptedData?: Record<string, string>; template?: { metadata?: { name?: string; namespace?: string }; type?: string } };
}
