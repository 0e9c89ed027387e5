/**
 * Error kinds shared by the engine. Messages always name the thing (endpoint,
 * query, resource) and say what to do, because they end up in reports read by
 * people without a terminal.
 */

/** Base class: something kubeproof could not do, with an optional hint. */
export class KubeproofError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n  → ${hint}` : message);
    this.name = new.target.name;
  }
}

/** Bad input (config, query syntax, manifest): retrying cannot help, so waits stop at once. */
export class BadInputError extends KubeproofError {}

/** A remote system answered, but not as expected (HTTP 5xx, refused, DNS failure). Waits retry these. */
export class EndpointError extends KubeproofError {
  constructor(
    readonly endpoint: string,
    readonly operation: string,
    detail: string,
    hint?: string,
  ) {
    super(`${operation} at ${endpoint} failed: ${detail}`, hint);
  }
}

/** A bounded wait ran out; the message says what was awaited, for how long, and what was last seen. */
export class WaitTimeoutError extends KubeproofError {
  constructor(
    readonly what: string,
    readonly waitedMs: number,
    readonly lastSeen: string,
    readonly observations: number,
  ) {
    super(
      `timed out after ${formatDuration(waitedMs)} waiting for ${what}; ` +
        `last seen (${observations} observation${observations === 1 ? '' : 's'}): ${lastSeen}`,
    );
  }
}

/**
 * The check could not run here (no Grafana in the cluster, no metrics-server...).
 * Steps report it as "not verified" with the reason — never as passed.
 */
export class NotVerifiedError extends KubeproofError {}

/** What a wait was waiting for no longer exists (deleted): waiting longer cannot help, so the wait ends at once. */
export class GoneError extends KubeproofError {}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}

/** An error's message; for the non-Error objects some libraries reject with (a WebSocket ErrorEvent), what they carry instead of "[object Object]". */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; error?: unknown; type?: unknown; code?: unknown };
    if (typeof o.message === 'string' && o.message) return o.message;
    if (o.error instanceof Error) return o.error.message;
    try {
      return JSON.stringify(e).slice(0, 300);
    } catch {
      return `${typeof o.type === 'string' ? o.type : 'error'} event${o.code !== undefined ? ` (code ${String(o.code)})` : ''}`;
    }
  }
  return String(e);
}
