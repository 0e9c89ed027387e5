import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { BadInputError } from '../../engine/errors';

/**
 * Reads a multi-document YAML manifest and fills `${VAR}` placeholders from
 * `vars` (a missing variable is bad input, never an empty string).
 */
export function loadManifest(file: string, vars: Record<string, string>): KubernetesObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BadInputError(`manifest ${file} cannot be read: ${(e as Error).message}`, 'paths are relative to the project root');
  }
  return parseManifest(text, vars, file);
}

export function parseManifest(text: string, vars: Record<string, string>, where = 'manifest'): KubernetesObject[] {
  const filled = text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new BadInputError(`${where}: unknown placeholder \${${name}}`, `known: ${Object.keys(vars).join(', ')}`);
    return vars[name];
  });
  const objects: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(filled)) {
    if (doc.errors.length) throw new BadInputError(`${where}: YAML error: ${doc.errors[0].message}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (!obj) continue;
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      throw new BadInputError(`${where}: a document lacks apiVersion, kind or metadata.name`);
    }
    objects.push(obj);
  }
  if (!objects.length) throw new BadInputError(`${where}: no Kubernetes objects in it`);
  return objects;
}
