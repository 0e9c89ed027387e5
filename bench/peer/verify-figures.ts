import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { stats } from './stats';

/**
 * `npm run bench:peer -- --verify-figures` (root, on the lab, with the
 * conveyor platform deployable): runs `npm run verify` (lab/verify-conveyor.sh)
 * as it is, samples /proc every 100 ms for the verifier's processes (the
 * cucumber-js process of each milestone), and records into bench/results.json
 * the warm wall time per milestone and the verifier's peak RSS over the full
 * suite. Run it once before (or after a verify) so builds, images and the
 * platform are warm: the figures are for the warm path.
 */

interface ProcSeen {
  pid: number;
  milestone?: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** VmHWM: the kernel's own record of the process's peak resident set. */
  peakKiB: number;
}

function readProc(pid: string): { cmd: string; hwmKiB: number; rssKiB: number; ppid: number } | undefined {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const ppid = /PPid:\s+(\d+)/.exec(status);
    return { cmd, hwmKiB: hwm ? Number(hwm[1]) : 0, rssKiB: rss ? Number(rss[1]) : 0, ppid: ppid ? Number(ppid[1]) : 0 };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

/** Descendants of `root` (pid → parent map from /proc). */
function descendants(root: number): Map<number, ReturnType<typeof readProc>> {
  const all = new Map<number, NonNullable<ReturnType<typeof readProc>>>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const p = readProc(d);
    if (p) all.set(Number(d), p);
  }
  const out = new Map<number, ReturnType<typeof readProc>>();
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    for (const [child, p] of all)
      if (p.ppid === pid && !out.has(child)) {
        out.set(child, p);
        queue.push(child);
      }
  }
  return out;
}

/** The first running `lab/verify-conveyor.sh` (bash) process, if any. */
function findVerify(): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    const p = readProc(d);
    if (p && /^(\S*\/)?bash .*verify-conveyor\.sh/.test(p.cmd)) return Number(d);
  }
  return undefined;
}

/**
 * `command`: run the verify and measure it. `observe`: wait (at most `waitMs`) for a verify someone else
 * started (`npm run verify`, lab/ci.sh) and measure it from /proc without touching it.
 */
export async function verifyFigures(
  resultsFile = 'bench/results.json',
  how: { command: string[] } | { observe: true; waitMs: number } = { command: ['bash', 'lab/verify-conveyor.sh'] },
): Promise<void> {
  let root: number | undefined;
  let done: Promise<number | null>;
  if ('command' in how) {
    const child = spawn(how.command[0], how.command.slice(1), { stdio: 'inherit' });
    root = child.pid;
    done = new Promise((resolve) => child.on('close', resolve));
  } else {
    const until = Date.now() + how.waitMs;
    console.log(`waiting up to ${Math.round(how.waitMs / 60_000)} min for a running lab/verify-conveyor.sh to observe...`);
    while (!(root = findVerify()) && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
    if (!root) throw new Error('no lab/verify-conveyor.sh started while waiting');
    const pid = root;
    console.log(`observing verify (pid ${pid}) from /proc`);
    done = new Promise((resolve) => {
      const t = setInterval(() => {
        if (!existsSync(`/proc/${pid}`)) {
          clearInterval(t);
          resolve(null); // not our child: its exit status is not ours to read
        }
      }, 500);
    });
  }
  const started = Date.now();
  const seen = new Map<number, ProcSeen>();
  let treePeakKiB = 0;
  let reportsDir = 'reports';
  const sample = () => {
    if (!root) return;
    const now = Date.now();
    let tree = 0;
    for (const [pid, p] of descendants(root)) {
      if (!p) continue;
      tree += p.rssKiB;
      const m = /cucumber(?:-js|\.js).*?-p\s+(m\d+)/.exec(p.cmd);
      if (!m) continue;
      const s = seen.get(pid) ?? { pid, milestone: m[1], firstSeenMs: now, lastSeenMs: now, peakKiB: 0 };
      if (!seen.has(pid)) {
        try {
          reportsDir = `${readlinkSync(`/proc/${pid}/cwd`)}/reports`; // where this verify writes its reports
        } catch {
          /* gone already */
        }
      }
      s.lastSeenMs = now;
      s.peakKiB = Math.max(s.peakKiB, p.hwmKiB);
      seen.set(pid, s);
    }
    treePeakKiB = Math.max(treePeakKiB, tree);
  };
  const timer = setInterval(sample, 100);
  const code = await done;
  clearInterval(timer);
  const wallS = (Date.now() - started) / 1000;

  // The milestone's own run time from its cucumber messages (reports/mN.ndjson), beside the process's lifetime.
  const perMilestone: Record<string, unknown> = {};
  const byMilestone = new Map<string, ProcSeen>();
  for (const s of seen.values()) {
    const prev = byMilestone.get(s.milestone!);
    if (!prev || s.peakKiB > prev.peakKiB) byMilestone.set(s.milestone!, s); // npx → node: keep the verifier itself
  }
  for (const [m, s] of [...byMilestone].sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1)))) {
    const file = `${reportsDir}/${m}.ndjson`;
    let runS: number | undefined;
    let success: boolean | undefined;
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
      const first = JSON.parse(lines.find((l) => l.includes('"testRunStarted"')) ?? '{}');
      const last = JSON.parse(lines.find((l) => l.includes('"testRunFinished"')) ?? '{}');
      // a report older than this verify is another run's
      if (first.testRunStarted && last.testRunFinished && ms(first.testRunStarted.timestamp) >= started) {
        runS = Math.round(ms(last.testRunFinished.timestamp) - ms(first.testRunStarted.timestamp)) / 1000;
        success = last.testRunFinished.success;
      }
    }
    // passed / failed / not verified, as the milestone's summary counts them (success is false whenever one is not verified)
    const summaryFile = `${reportsDir}/${m}.summary.json`;
    const counts = runS !== undefined && existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as { counts?: unknown }).counts : undefined;
    perMilestone[m] = {
      counts,
      processS: Math.round((s.lastSeenMs - s.firstSeenMs) / 100) / 10,
      cucumberRunS: runS,
      success,
      peakRssMiB: Math.round(s.peakKiB / 1024),
    };
  }
  const peaks = [...byMilestone.values()].map((s) => s.peakKiB / 1024);
  const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  results.verifyLab = {
    what: 'a warm `npm run verify` (lab/verify-conveyor.sh: builds cached, lab up, platform applied, then one cucumber-js process per milestone) on the lab: wall time per milestone (the process, sampled every 100 ms, and cucumber’s own run time) and the verifier’s peak RSS (VmHWM of each milestone’s cucumber-js process; the largest is the suite’s peak)',
    recordedAt: new Date().toISOString(),
    source:
      'command' in how
        ? 'npm run bench:peer -- --verify-figures'
        : `npm run bench:peer -- --observe-verify (a verify started by someone else, measured from /proc; reports in ${reportsDir})`,
    exitCode: code,
    totalWallS: Math.round(wallS * 10) / 10,
    perMilestone,
    verifierPeakRssMiB: peaks.length ? Math.round(Math.max(...peaks)) : undefined,
    verifierPeakRssPerMilestoneMiB: stats(peaks),
    /** The most the whole process tree of the verify (bash, kubectl, k6 and the like included) held resident at one moment. */
    processTreePeakRssMiB: Math.round(treePeakKiB / 1024),
  };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results.verifyLab, null, 2));
}
