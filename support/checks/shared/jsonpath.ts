import { JSONPath } from 'jsonpath-plus';
import { BadInputError, errorText } from '../../engine/errors';

/** Every value a JSONPath selects (jsonpath-plus); a path it cannot evaluate is bad input, with an example of one it can. */
export function jsonPathMatches(json: unknown, path: string, example: string): unknown[] {
  try {
    return JSONPath({ path, json: json as object, wrap: true }) as unknown[];
  } catch (e) {
    throw new BadInputError(`"${path}" is not a JSONPath kubeproof can evaluate: ${errorText(e)}`, `write a path like ${example}`);
  }
}
