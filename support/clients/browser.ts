import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndpointError, NotVerifiedError, errorText } from '../engine/errors';
import { findExecutable } from '../engine/executable';

/**
 * Screenshots of real UIs (Prometheus targets page, Grafana dashboards) with a
 * headless Chromium from Debian, as report and video evidence. One browser
 * process per screenshot with its own profile dir, so parallel runs never
 * share state and nothing keeps running after the call.
 */

export interface ScreenshotOptions {
  /** Window and screenshot size in pixels. Default 1280×720. */
  width?: number;
  height?: number;
  /** Hard limit for the browser process; it is killed after it. Default 60 s. */
  timeoutMs?: number;
  /** Virtual time the page gets to render (scripts, XHRs) before the shot. Default 5 s. */
  waitMs?: number;
}

/** Looked for in this order when no binary is given: Debian's name, Ubuntu's older name, Google's build. */
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'];
const INSTALL_HINT = 'install it with `apt-get install chromium`, or run `npm run components:build` (lab/components/render-tools.sh)';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class Browser {
  /** @param binary a browser name on PATH or a path; default: the first of chromium, chromium-browser, google-chrome found. */
  constructor(readonly binary?: string) {}

  /** The browser executable that would run, or undefined; a given binary is the only candidate (no silent fallback to another browser). */
  static find(binary?: string): string | undefined {
    for (const name of binary ? [binary] : BROWSERS) {
      const found = findExecutable(name);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A PNG of the page at `url`. The URL is fetched first because Chromium
   * screenshots its own error page when a server refuses the connection, and
   * that blank PNG must not pass as evidence of a UI.
   */
  async screenshot(url: string, opts: ScreenshotOptions = {}): Promise<Buffer> {
    const { width = 1280, height = 720, timeoutMs = 60_000, waitMs = 5000 } = opts;
    const binary = Browser.find(this.binary);
    if (!binary) {
      const looked = this.binary ? `"${this.binary}"` : BROWSERS.join(', ');
      throw new NotVerifiedError(`screenshot of ${url} not taken: no headless browser found (looked for ${looked})`, INSTALL_HINT);
    }
    for (const [name, v] of [
      ['width', width],
      ['height', height],
    ] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`screenshot of ${url}: ${name} must be a positive integer, got ${v}`);
    }
    await assertAnswers(url, Math.min(timeoutMs, 15_000));
    return this.capture(binary, url, width, height, timeoutMs, waitMs);
  }

  /** Runs the browser once in a temp dir (profile + output) that is removed afterwards, and checks the result is a PNG. */
  private async capture(binary: string, url: string, width: number, height: number, timeoutMs: number, waitMs: number): Promise<Buffer> {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-browser-'));
    const out = join(dir, 'screenshot.png');
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},${height}`];
    args.push(`--virtual-time-budget=${waitMs}`, `--user-data-dir=${join(dir, 'profile')}`, '--no-first-run', `--screenshot=${out}`, url);
    try {
      const { execa } = await import('execa');
      const res = await execa(binary, args, { reject: false, timeout: timeoutMs, forceKillAfterDelay: 2000, stdin: 'ignore', maxBuffer: 10_000_000 });
      const png = existsSync(out) ? readFileSync(out) : undefined;
      if (!png || !png.subarray(0, 8).equals(PNG_MAGIC)) {
        const why = res.timedOut ? `killed after ${timeoutMs / 1000} s` : `exit code ${res.exitCode ?? res.signal}`;
        const what = png ? `wrote ${png.length} bytes that are not a PNG` : 'wrote no screenshot';
        throw new Error(`screenshot of ${url}: ${binary} ${what} (${why}): ${String(res.stderr ?? '').slice(-1500)}`);
      }
      return png;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The page answers 2xx/3xx (redirects followed) within timeoutMs, or an EndpointError names the URL and what went wrong. */
async function assertAnswers(url: string, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    throw new EndpointError(
      url,
      'screenshot (page load)',
      cause ? `${errorText(e)}: ${errorText(cause)}` : errorText(e),
      'is the UI running and reachable from this machine?',
    );
  }
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 400) throw new EndpointError(url, 'screenshot (page load)', `HTTP ${res.status} ${res.statusText}`);
}
