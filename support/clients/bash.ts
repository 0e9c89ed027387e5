/** A shell command the platform's team wrote (a repository script, the command that stops a node), run with bash -c. */
export interface BashRun {
  exitCode?: number;
  /** stdout and stderr interleaved, as a terminal shows them. */
  output: string;
  timedOut: boolean;
  durationMs: number;
}

/** Runs `bash -c command`; never throws on a failing command (the caller judges it). `signal` ends it early. */
export async function runBash(
  command: string,
  opts: { timeoutMs: number; cwd?: string; env?: Record<string, string>; signal?: AbortSignal },
): Promise<BashRun> {
  const { execa } = await import('execa');
  const r = await execa('bash', ['-c', command], {
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: opts.timeoutMs,
    forceKillAfterDelay: 2000,
    cwd: opts.cwd,
    env: opts.env,
    cancelSignal: opts.signal,
  });
  return { exitCode: r.exitCode, output: (r.all ?? '').trim(), timedOut: Boolean(r.timedOut), durationMs: r.durationMs };
}
