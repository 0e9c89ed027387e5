import { randomBytes } from 'node:crypto';

/**
 * Unique, DNS-1123-safe names per scenario and worker, so parallel runs and
 * reruns never collide: `<base>-w<worker>-<seq>-<random>`.
 */
export function uniqueName(base: string, worker: string, seq: number): string {
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'kp';
  const suffix = `-w${worker}-${seq}-${randomBytes(2).toString('hex')}`;
  return (clean.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix).slice(0, 63);
}
