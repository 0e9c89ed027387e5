import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BadInputError, formatDuration, NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** The platform team's repository (KUBEPROOF_PLATFORM_DIR): files, documents, manifests, scripts, secrets. */

/** The platform repository under test: KUBEPROOF_PLATFORM_DIR; without it, repository criteria are not verified. */
function platformDir(ctx: Ctx): string {
  const dir = ctx.config.platformDir;
  if (!dir)
    throw new NotVerifiedError(
      'no platform repository given',
      'set KUBEPROOF_PLATFORM_DIR to the checkout of the platform (its manifests, scripts and outputs)',
    );
  if (!existsSync(dir)) throw new BadInputError(`KUBEPROOF_PLATFORM_DIR=${dir} does not exist`);
  return dir;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    if (e === '.git' || e === 'node_modules') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** A file exists in the platform repository (an output, a script, a README). */
export function repoHasFile(ctx: Ctx, path: string): StepResult {
  return ctx.check(`the platform repository has ${path}`, async () => {
    const full = join(platformDir(ctx), path);
    if (!existsSync(full)) throw new Error(`${path} is missing from ${platformDir(ctx)}`);
    return `${path}: ${statSync(full).size} bytes`;
  });
}

/** A document of the platform repository mentions each of the words (README sections, procedures). */
export function repoFileMentions(ctx: Ctx, path: string, words: string[]): StepResult {
  return ctx.check(`${path} mentions ${words.join(', ')}`, async () => {
    const full = join(platformDir(ctx), path);
    if (!existsSync(full)) throw new Error(`${path} is missing from ${platformDir(ctx)}`);
    const text = readFileSync(full, 'utf8').toLowerCase();
    const missing = words.filter((w) => !text.includes(w.toLowerCase()));
    if (missing.length) throw new Error(`${path} does not mention ${missing.join(', ')}`);
    return `${path} mentions ${words.join(', ')}`;
  });
}

/** Every namespaced object in the manifests names the namespace (or its kustomization sets it). */
export function manifestsUseNamespace(ctx: Ctx, dir: string, namespace: string): StepResult {
  return ctx.check(`manifests in ${dir} reference namespace ${namespace}`, async () => {
    if (!existsSync(dir)) throw new BadInputError(`manifest directory ${dir} does not exist`);
    const rows: { file: string; kind: string; name: string; namespace: string; ok: boolean }[] = [];
    for (const file of walk(dir).filter((f) => /\.ya?ml$/.test(f))) {
      const docs = parseAllDocuments(readFileSync(file, 'utf8'));
      const kustomizeNs = docs.map((d) => d.toJS()).find((d) => d?.kind === 'Kustomization')?.namespace;
      for (const d of docs) {
        const o = d.toJS();
        if (
          !o?.kind ||
          o.kind === 'Kustomization' ||
          /^(Namespace|ClusterRole|ClusterRoleBinding|StorageClass|PersistentVolume|CustomResourceDefinition)$/.test(o.kind)
        )
          continue;
        const ns = o.metadata?.namespace ?? kustomizeNs ?? '';
        rows.push({
          file: relative(dir, file),
          kind: o.kind,
          name: o.metadata?.name ?? '',
          namespace: ns || '(none)',
          ok: ns === namespace || (!ns && hasKustomizationNamespace(dir, namespace)),
        });
      }
    }
    await ctx.evidence.table(`namespaced objects in ${dir}`, rows);
    if (!rows.length) throw new Error(`no Kubernetes objects found under ${dir}`);
    const bad = rows.filter((r) => !r.ok);
    if (bad.length)
      throw new Error(
        `${bad.length} object(s) do not reference ${namespace}: ${bad
          .slice(0, 10)
          .map((b) => `${b.file} ${b.kind}/${b.name} (${b.namespace})`)
          .join(', ')}`,
      );
    return `${rows.length} namespaced objects, all in ${namespace}`;
  });
}

function hasKustomizationNamespace(dir: string, namespace: string): boolean {
  const k = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(dir, f)).find(existsSync);
  return !!k && new RegExp(`^namespace:\\s*${namespace}\\s*$`, 'm').test(readFileSync(k, 'utf8'));
}

/** No Secret with data and no secrets.yaml is committed; .gitignore excludes secrets.yaml. */
export function noSecretsCommitted(ctx: Ctx): StepResult {
  return ctx.check('no secrets are committed in the platform repository', async () => {
    const dir = platformDir(ctx);
    const offenders: string[] = [];
    for (const file of walk(dir)) {
      if (/(^|\/)secrets?\.ya?ml$/.test(file)) offenders.push(`${relative(dir, file)} (a secrets file)`);
      else if (/\.ya?ml$/.test(file)) {
        for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
          const o = d.toJS();
          if (o?.kind === 'Secret' && (Object.keys(o.data ?? {}).length || Object.keys(o.stringData ?? {}).length))
            offenders.push(`${relative(dir, file)} (Secret ${o.metadata?.name} with values)`);
        }
      }
    }
    const gitignore = existsSync(join(dir, '.gitignore')) ? readFileSync(join(dir, '.gitignore'), 'utf8') : '';
    if (!/secrets\.ya?ml/.test(gitignore)) offenders.push('.gitignore does not exclude secrets.yaml');
    if (offenders.length) throw new Error(`secrets in the platform repository: ${offenders.join('; ')}`);
    return `no Secret values and no secrets.yaml under ${dir}; .gitignore excludes secrets.yaml`;
  });
}

/**
 * Runs one of the platform's own scripts (deploy.sh, validate.sh) in its
 * repository, bounded in time, and optionally looks for a phrase in its output.
 */
export function repoScriptSucceeds(ctx: Ctx, command: string, withinMs: number, expect?: string): StepResult {
  return ctx.check(`${command} succeeds${expect ? ` and reports "${expect}"` : ''}`, async () => {
    const dir = platformDir(ctx);
    const { execa } = await import('execa');
    const r = await execa('bash', ['-c', command], {
      cwd: dir,
      reject: false,
      timeout: withinMs,
      all: true,
      cancelSignal: ctx.signal,
      env: { KUBECONFIG: ctx.config.kube.kubeconfig ?? '' },
    });
    const tail = (r.all ?? '').split('\n').slice(-80).join('\n');
    await ctx.evidence.text(`${command} (exit ${r.exitCode ?? r.signal}, ${formatDuration(r.durationMs)})`, tail);
    if (r.timedOut) throw new Error(`${command} did not finish within ${formatDuration(withinMs)}`);
    if (r.exitCode !== 0) throw new Error(`${command} exited ${r.exitCode}; its output ends: ${tail.split('\n').slice(-3).join(' | ')}`);
    if (expect && !(r.all ?? '').includes(expect)) throw new Error(`${command} succeeded but its output does not contain "${expect}"`);
    return `exit 0 in ${formatDuration(r.durationMs)}${expect ? `; output contains "${expect}"` : ''}`;
  });
}
