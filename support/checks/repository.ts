import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runBash } from '../clients/bash';
import { BadInputError, formatDuration, NotVerifiedError } from '../engine/errors';
import { SECRET_SHAPES } from '../engine/evidence/redact';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** The platform team's repository (KUBEPROOF_PLATFORM_DIR): files, documents, manifests, scripts, secrets, git history. */

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

/** File signatures of the binary deliverables (screenshots, videos): an output must be what its name says. */
const MAGIC: Record<string, { kind: string; matches: (b: Buffer) => boolean }> = {
  '.png': { kind: 'a PNG image', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  '.jpg': { kind: 'a JPEG image', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  '.jpeg': { kind: 'a JPEG image', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  '.gif': { kind: 'a GIF image', matches: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  // ISO base media (MP4, MOV): the first box is `ftyp`, at offset 4.
  '.mp4': { kind: 'an MP4 video', matches: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  '.mov': { kind: 'a QuickTime video', matches: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  '.webm': { kind: 'a WebM video', matches: (b) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
  '.pdf': { kind: 'a PDF document', matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
};

/** What is wrong with a deliverable's content (empty, blank, not the image/video its name says), or undefined. */
export function contentProblem(path: string, bytes: Buffer): string | undefined {
  if (bytes.length === 0) return `${path} is an empty file (0 bytes)`;
  const magic = MAGIC[extname(path).toLowerCase()];
  if (magic) {
    if (magic.matches(bytes)) return undefined;
    const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `${path} is not ${magic.kind}: its ${bytes.length} bytes start with ${head}`;
  }
  if (!bytes.toString('utf8').trim()) return `${path} holds only whitespace (${bytes.length} bytes)`;
  return undefined;
}

/** A deliverable is in the platform repository: a non-empty file of its type, or a directory holding at least one. */
export function repoHasFile(ctx: Ctx, path: string): StepResult {
  return ctx.check(`the platform repository has ${path}`, async () => {
    const dir = platformDir(ctx);
    const full = join(dir, path);
    if (!existsSync(full)) throw new Error(`${path} is missing from ${dir}`);
    if (statSync(full).isDirectory()) {
      const files = walk(full).map((f) => ({ file: relative(dir, f), bytes: statSync(f).size }));
      await ctx.evidence.table(`files under ${path}`, files);
      const nonEmpty = files.filter((f) => f.bytes > 0);
      if (!nonEmpty.length) throw new Error(`${path} is a directory with no non-empty file (${files.length} file(s), all empty)`);
      return `${path}/: ${nonEmpty.length} non-empty file(s)`;
    }
    const bytes = readFileSync(full);
    const problem = contentProblem(path, bytes);
    if (problem) throw new Error(problem);
    const magic = MAGIC[extname(path).toLowerCase()];
    return `${path}: ${bytes.length} bytes${magic ? `, ${magic.kind} by its signature` : ''}`;
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

const CLUSTER_SCOPED =
  /^(ClusterRole|ClusterRoleBinding|StorageClass|PersistentVolume|CustomResourceDefinition|PriorityClass|IngressClass|RuntimeClass|CSIDriver|APIService|(Validating|Mutating)WebhookConfiguration)$/;

export type NamespaceRow = {
  file: string;
  kind: string;
  name: string;
  namespace: string;
  ok: boolean;
};

/**
 * How each Kubernetes object of a manifest file refers to namespaces. A
 * kustomization's `namespace:` (kustomizeNs) overrides what the object says,
 * as kustomize does; a Namespace object must be the namespace itself; a
 * binding's ServiceAccount subjects must live in it.
 */
export function namespaceRows(file: string, text: string, namespace: string, kustomizeNs?: string): NamespaceRow[] {
  const rows: NamespaceRow[] = [];
  const visit = (o: any) => {
    if (!o || typeof o !== 'object' || !o.kind || !o.apiVersion || o.kind === 'Kustomization') return;
    if (o.kind === 'List') return (o.items ?? []).forEach(visit);
    const name = o.metadata?.name ?? '';
    if (o.kind === 'Namespace') return void rows.push({ file, kind: o.kind, name, namespace: name, ok: name === namespace });
    for (const s of o.subjects ?? [])
      if (s?.kind === 'ServiceAccount')
        rows.push({ file, kind: `${o.kind} subject`, name: `${name} → ${s.name}`, namespace: s.namespace ?? '(none)', ok: s.namespace === namespace });
    if (CLUSTER_SCOPED.test(o.kind)) return;
    const ns = kustomizeNs ?? o.metadata?.namespace ?? '';
    rows.push({ file, kind: o.kind, name, namespace: ns || '(none)', ok: ns === namespace });
  };
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) throw new BadInputError(`${file} is not valid YAML: ${d.errors[0].message.split('\n')[0]}`);
    visit(d.toJS());
  }
  return rows;
}

/** The `namespace:` of the nearest kustomization at or above the file's directory (up to root), if it sets one. */
function kustomizationNamespace(root: string, file: string): string | undefined {
  for (let d = dirname(file); ; d = dirname(d)) {
    const k = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(d, f)).find(existsSync);
    if (k) return /^namespace:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(readFileSync(k, 'utf8'))?.[1];
    if (resolve(d) === resolve(root) || dirname(d) === d) return undefined;
  }
}

/**
 * Every Kubernetes object in the platform repository's manifests (a directory
 * of it, e.g. `k8s`) lives in — or, for a Namespace or a binding subject,
 * names — the namespace, directly or through its kustomization.
 */
export function manifestsUseNamespace(ctx: Ctx, path: string, namespace: string): StepResult {
  return ctx.check(`every manifest under ${path} in the platform repository references namespace ${namespace}`, async () => {
    const repo = platformDir(ctx);
    const dir = join(repo, path);
    if (!existsSync(dir)) throw new Error(`${path} is missing from the platform repository ${repo}`);
    const rows: NamespaceRow[] = [];
    const files = walk(dir).filter((f) => /\.ya?ml$/.test(f) && !/(^|\/)kustomization\.ya?ml$/.test(f));
    for (const file of files) rows.push(...namespaceRows(relative(repo, file), readFileSync(file, 'utf8'), namespace, kustomizationNamespace(dir, file)));
    await ctx.evidence.table(`Kubernetes objects under ${path} (${files.length} YAML files)`, rows);
    if (!rows.length) throw new Error(`no Kubernetes objects found under ${path} (${files.length} YAML files read)`);
    const bad = rows.filter((r) => !r.ok);
    if (bad.length)
      throw new Error(
        `${bad.length} of ${rows.length} object(s) under ${path} do not reference ${namespace}: ${bad
          .slice(0, 10)
          .map((b) => `${b.file} ${b.kind}/${b.name} (${b.namespace})`)
          .join(', ')}`,
      );
    return `${rows.length} objects in ${files.length} files under ${path}, all in ${namespace}`;
  });
}

/** Values that stand for a secret without being one: `${VAR}`, `$(cmd)`, `<password>`, `changeme`… */
const PLACEHOLDER = /^(\$.*|\{\{.*\}\}|<[^>]*>?|\[REDACTED\]|change[-_]?me|replace[-_]?me|your[-_a-z]*|x{3,}|\*+|\.\.\.|example|null|none|true|false)$/i;

/** Shapes that are secrets whatever their value; the others must also look like a credential (8+ characters, letters and digits). */
const UNAMBIGUOUS = new Set(['PEM private key', 'JWT']);

function looksLikeCredential(shape: string, value: string): boolean {
  if (UNAMBIGUOUS.has(shape)) return true;
  return !PLACEHOLDER.test(value) && value.length >= 8 && /\d/.test(value) && /[a-z]/i.test(value);
}

/** Secret values of a Kubernetes Secret object (data and stringData), placeholders excepted: key names only. */
function secretObjects(o: any, out: string[]): void {
  if (!o || typeof o !== 'object') return;
  if (o.kind === 'List') return (o.items ?? []).forEach((i: unknown) => secretObjects(i, out));
  if (o.kind !== 'Secret') return;
  const keys = Object.entries({ ...(o.data ?? {}), ...(o.stringData ?? {}) })
    .filter(([, v]) => v !== null && v !== undefined && String(v).trim() !== '' && !PLACEHOLDER.test(String(v).trim()))
    .map(([k]) => k);
  if (keys.length) out.push(`Secret ${o.metadata?.name ?? '(unnamed)'} with values for ${keys.join(', ')}`);
}

/**
 * What in one committed file is a secret: a secrets.yaml, a Kubernetes Secret
 * with values, or a secret shape the redactor knows (PEM private keys, JWTs,
 * tokens, passwords). Findings name the kind and key, never the value.
 */
export function secretsInBlob(path: string, text: string): string[] {
  const found: string[] = [];
  if (/(^|\/)secrets?\.ya?ml$/i.test(path)) found.push('a secrets.yaml file');
  if (/\.ya?ml$/i.test(path))
    for (const d of parseAllDocuments(text)) {
      if (d.errors.length) continue; // not YAML after all (a template): the shapes below still apply
      secretObjects(d.toJS(), found);
    }
  for (const { name, re } of SECRET_SHAPES)
    for (const m of text.matchAll(new RegExp(re.source, re.flags)))
      if (looksLikeCredential(name, m[2] ?? m[0])) {
        const key = name === 'password/token assignment' ? ` (${m[1].replace(/["'\s:=]+$/, '')})` : '';
        found.push(`${name}${key}`);
        break;
      }
  return found;
}

/** Runs git in the platform directory; stdout as text. */
async function git(dir: string, args: string[], ctx: Ctx, input?: string): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  const r = await gitBytes(dir, args, ctx, input);
  return { exitCode: r.exitCode, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}

async function gitBytes(dir: string, args: string[], ctx: Ctx, input?: string): Promise<{ exitCode?: number; stdout: Buffer; stderr: string }> {
  const { execa } = await import('execa');
  const r = await execa('git', ['-c', 'core.quotePath=false', ...args], {
    cwd: dir,
    reject: false,
    input,
    encoding: 'buffer',
    maxBuffer: 1 << 30,
    cancelSignal: ctx.signal,
  });
  return { exitCode: r.exitCode, stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr).toString('utf8') };
}

interface CommittedBlob {
  sha: string;
  /** Path relative to the platform directory. */
  path: string;
  /** The commit that added or changed it, or "the index" for staged content. */
  where: string;
}

/**
 * Every blob git's history (all refs) and index hold under the platform
 * directory, each with the first commit seen carrying it. Fails when the
 * directory is not in a git repository: what was committed cannot be told.
 */
async function committedBlobs(ctx: Ctx, dir: string): Promise<{ blobs: CommittedBlob[]; commits: number; head: Set<string> }> {
  const prefix = await git(dir, ['rev-parse', '--show-prefix'], ctx);
  if (prefix.exitCode !== 0)
    throw new Error(`${dir} is not a git repository (git rev-parse: ${prefix.stderr.trim().split('\n')[0]}): what was committed cannot be checked`);
  // git log and ls-tree name paths from the repository's root; the platform may be a directory of it (CA3/).
  const root = prefix.stdout.trim();
  const strip = (p: string) => (p.startsWith(root) ? p.slice(root.length) : p);
  const log = await git(dir, ['log', '--all', '--no-renames', '--raw', '--no-abbrev', '-z', '--format=%x01%H', '--', '.'], ctx);
  if (log.exitCode !== 0 && !/does not have any commits/.test(log.stderr)) throw new Error(`git log failed in ${dir}: ${log.stderr.trim()}`);
  const seen = new Map<string, CommittedBlob>();
  let commit = '';
  let commits = 0;
  const tokens = log.stdout.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].replace(/^\n/, '');
    if (t.startsWith('\x01')) {
      commit = t.slice(1);
      commits++;
    } else if (t.startsWith(':')) {
      const sha = t.split(' ')[3];
      const path = tokens[++i];
      // git log lists newest first: the last writer wins, which is the commit that introduced the blob.
      if (sha && !/^0+$/.test(sha)) seen.set(sha, { sha, path: strip(path), where: `commit ${commit.slice(0, 12)}` });
    }
  }
  const index = await git(dir, ['ls-files', '--stage', '-z', '--', '.'], ctx);
  // ls-files names paths from the current directory, the platform's.
  for (const entry of index.stdout.split('\0').filter(Boolean)) {
    const [meta, path] = entry.split('\t');
    const sha = meta.split(' ')[1];
    if (!seen.has(sha)) seen.set(sha, { sha, path, where: 'the index (staged, not committed)' });
  }
  const tree = await git(dir, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', 'HEAD'], ctx);
  const head = new Set(tree.exitCode === 0 ? tree.stdout.split('\0').filter(Boolean).map(strip) : []);
  return { blobs: [...seen.values()], commits, head };
}

/** Blob contents by sha, text blobs up to maxBytes only (outputs like videos are skipped, counted). */
async function readBlobs(ctx: Ctx, dir: string, shas: string[], maxBytes: number): Promise<{ texts: Map<string, string>; skipped: number }> {
  const check = await git(dir, ['cat-file', '--batch-check'], ctx, shas.join('\n') + '\n');
  const small = check.stdout
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([, type, size]) => type === 'blob' && Number(size) <= maxBytes)
    .map(([sha]) => sha);
  const texts = new Map<string, string>();
  if (small.length) {
    const buf = (await gitBytes(dir, ['cat-file', '--batch'], ctx, small.join('\n') + '\n')).stdout;
    let at = 0;
    while (at < buf.length) {
      const nl = buf.indexOf(0x0a, at);
      const [sha, , size] = buf.subarray(at, nl).toString().split(' ');
      const body = buf.subarray(nl + 1, nl + 1 + Number(size));
      if (!body.subarray(0, 8000).includes(0)) texts.set(sha, body.toString('utf8'));
      at = nl + 1 + Number(size) + 1;
    }
  }
  return { texts, skipped: shas.length - small.length };
}

/**
 * Nothing secret was ever committed: every blob of git's history (all refs)
 * and index under the platform directory is free of secrets.yaml files,
 * Secrets with values, private keys and tokens — a secret deleted from the
 * tree but still in history counts; and .gitignore excludes secrets.yaml.
 */
export function noSecretsCommitted(ctx: Ctx): StepResult {
  return ctx.check('no secrets are committed in the platform repository', async () => {
    const dir = platformDir(ctx);
    const { blobs, commits, head } = await committedBlobs(ctx, dir);
    if (!commits && !blobs.length) throw new Error(`nothing is committed in ${dir}: git history and index are empty`);
    const { texts, skipped } = await readBlobs(
      ctx,
      dir,
      blobs.map((b) => b.sha),
      5 * 1024 * 1024,
    );
    const rows: { where: string; path: string; finding: string; inHead: string }[] = [];
    for (const b of blobs) {
      for (const finding of secretsInBlob(b.path, texts.get(b.sha) ?? ''))
        rows.push({ where: b.where, path: b.path, finding, inHead: head.has(b.path) ? 'yes' : 'no (deleted since; still in history)' });
    }
    const ignored = await git(dir, ['check-ignore', '-q', '--no-index', 'secrets.yaml'], ctx);
    const scanned = `${blobs.length} blobs from ${commits} commit(s) and the index (${texts.size} text blobs read, ${blobs.length - texts.size - skipped} binary, ${skipped} over 5 MB)`;
    await ctx.evidence.table(
      `secrets found in git history and index: ${scanned}`,
      rows.length ? rows : [{ where: '-', path: '-', finding: 'none', inHead: '-' }],
    );
    const problems = rows.map((r) => `${r.where} ${r.path}: ${r.finding}${r.inHead === 'yes' ? '' : ' (deleted from the tree since, still in history)'}`);
    if (ignored.exitCode !== 0) problems.push('.gitignore does not exclude secrets.yaml');
    if (problems.length) throw new Error(`secrets committed to the platform repository: ${problems.slice(0, 10).join('; ')}`);
    return `no secrets in ${scanned}; .gitignore excludes secrets.yaml`;
  });
}

/**
 * Runs one of the platform's own scripts (deploy.sh, validate.sh) in its
 * repository, bounded in time, and optionally looks for a phrase in its output.
 */
export function repoScriptSucceeds(ctx: Ctx, command: string, withinMs: number, expect?: string): StepResult {
  return ctx.check(`${command} succeeds${expect ? ` and reports "${expect}"` : ''}`, async () => {
    const dir = platformDir(ctx);
    const r = await runBash(command, { cwd: dir, timeoutMs: withinMs, signal: ctx.signal, env: { KUBECONFIG: ctx.config.kube.kubeconfig ?? '' } });
    const tail = r.output.split('\n').slice(-80).join('\n');
    await ctx.evidence.text(`${command} (exit ${r.exitCode ?? 'none'}, ${formatDuration(r.durationMs)})`, tail);
    if (r.timedOut) throw new Error(`${command} did not finish within ${formatDuration(withinMs)}`);
    if (r.exitCode !== 0) throw new Error(`${command} exited ${r.exitCode}; its output ends: ${tail.split('\n').slice(-3).join(' | ')}`);
    if (expect && !r.output.includes(expect)) throw new Error(`${command} succeeded but its output does not contain "${expect}"`);
    return `exit 0 in ${formatDuration(r.durationMs)}${expect ? `; output contains "${expect}"` : ''}`;
  });
}
