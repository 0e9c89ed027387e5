import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The executable a command name runs (searched on PATH; a name with a slash is taken as a path), if any. */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [resolve(name)]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, name));
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
