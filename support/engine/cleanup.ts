import { errorText, formatDuration } from './errors';

export interface CleanupResult {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * Register cleanup when you create; run in reverse order afterwards. Each action
 * is bounded so one stuck deletion cannot hang the run.
 */
export class CleanupStack {
  private actions: { name: string; run: () => Promise<unknown> }[] = [];

  push(name: string, run: () => Promise<unknown>): void {
    this.actions.push({ name, run });
  }

  get size(): number {
    return this.actions.length;
  }

  /** Names of pending actions, newest first: what a kept-on-failure run leaves behind. */
  pending(): string[] {
    return this.actions.map((a) => a.name).reverse();
  }

  /** Forgets all actions without running them (keep-on-failure). */
  abandon(): string[] {
    const names = this.pending();
    this.actions = [];
    return names;
  }

  async runAll(timeoutMs: number): Promise<CleanupResult[]> {
    const results: CleanupResult[] = [];
    while (this.actions.length) {
      const action = this.actions.pop()!;
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          action.run(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`cleanup "${action.name}" did not finish within ${formatDuration(timeoutMs)}`)), timeoutMs);
          }),
        ]);
        results.push({ name: action.name, ok: true, detail: `done in ${formatDuration(performance.now() - started)}` });
      } catch (e) {
        results.push({ name: action.name, ok: false, detail: errorText(e) });
      } finally {
        clearTimeout(timer);
      }
    }
    return results;
  }
}
