import { BadInputError } from '../../engine/errors';

/** Labels as steps state them: `key=value`, or `key` for any value (objects, nodes). */

/** `key=value` or just `key` (any value). */
export function parseLabelSpec(spec: string): { key: string; value?: string } {
  const s = spec.trim();
  const eq = s.indexOf('=');
  const key = (eq < 0 ? s : s.slice(0, eq)).trim();
  if (!key) throw new BadInputError(`"${spec}" names no key`, 'write `key=value`, or `key` for any value');
  return eq < 0 ? { key } : { key, value: s.slice(eq + 1).trim() };
}

/** Whether the map holds the key (with the value, when one is asked for). */
export function holdsEntry(entries: Record<string, string>, want: { key: string; value?: string }): boolean {
  return want.key in entries && (want.value === undefined || entries[want.key] === want.value);
}
