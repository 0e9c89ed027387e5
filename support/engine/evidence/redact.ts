/**
 * Redaction: secrets never reach a report or a log. Known secret values (from
 * config, Kubernetes Secrets read during a run) are replaced wherever they
 * appear; well-known shapes (bearer tokens, passwords in URLs or key=value
 * pairs, PEM private keys, JWTs) are caught even when nobody registered them.
 */
const MASK = '[REDACTED]';

/**
 * Well-known secret shapes. Group 2, when present, is the secret part (group 1
 * the context kept around it); otherwise the whole match is the secret.
 * The repository check reuses them to find secrets in committed files.
 */
export const SECRET_SHAPES: readonly { name: string; re: RegExp; replacement: string }[] = [
  // -{5} rather than the literal armour line, so secret scanners don't take this file for a key
  { name: 'PEM private key', re: /-{5}BEGIN [A-Z ]*PRIVATE KEY-{5}[\s\S]*?-{5}END [A-Z ]*PRIVATE KEY-{5}/g, replacement: `(PEM private key ${MASK})` },
  { name: 'bearer/basic token', re: /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/gi, replacement: `$1 ${MASK}` },
  { name: 'JWT', re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replacement: MASK },
  { name: 'password in a URL', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(?=@)/gi, replacement: `$1${MASK}` },
  {
    name: 'password/token assignment',
    re: /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|sasl[_.]jaas[_.]config)["']?\s*[:=]\s*["']?)([^"'\s,}&]+)/gi,
    replacement: `$1${MASK}`,
  },
];

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret value; very short values are ignored because masking them would shred ordinary text. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    // Secrets also travel base64-encoded (Kubernetes Secret data, Basic auth).
    this.secrets.add(Buffer.from(secret).toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
    for (const { re, replacement } of SECRET_SHAPES) out = out.replace(re, replacement);
    return out;
  }

  /** Redacts every string inside a JSON-like value, and values under secret-looking keys. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value ?? null)), (key, v) =>
      typeof v === 'string' && /^(password|passwd|token|secret|apiKey|api_key|bearerToken|authorization)$/i.test(key) ? MASK : v,
    ) as T;
  }
}

export const REDACTION_MASK = MASK;
