import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BadInputError, NotVerifiedError } from '../errors';
import { svgToPng } from '../evidence/png';
import { findExecutable } from '../executable';

/**
 * The plan's evidence video: a slideshow of SVG frames (caption frames, charts)
 * encoded as an H.264 MP4 by ffmpeg, so a reviewer can watch the run without
 * a cluster or a terminal. ffmpeg is an external binary (Debian `ffmpeg`,
 * installed by lab/components/render-tools.sh); without it the video is "not
 * verified", never silently absent.
 */

export interface VideoFrame {
  svg: string;
  /** How long the frame stays on screen. The video runs at 2 fps, so this is rounded to half seconds. */
  seconds: number;
}

export interface VideoOptions {
  /** Output size; both must be even (yuv420p). Default 1280×720. */
  width?: number;
  height?: number;
  /** ffmpeg executable (name on PATH or path); ffprobe is looked up next to it. Default `ffmpeg`. */
  ffmpeg?: string;
}

export interface EncodedVideo {
  /** As ffprobe reads it back from the file, not as requested. */
  durationSeconds: number;
  frames: number;
  file: string;
}

/** The plan's video is at most 3 minutes. */
export const MAX_VIDEO_SECONDS = 180;
const FPS = 2;
const INSTALL_HINT = 'install it with `apt-get install ffmpeg`, or run `npm run components:build` (lab/components/render-tools.sh)';

/**
 * Renders each frame to PNG and encodes them with ffmpeg's concat demuxer (a
 * list of `file` + `duration` lines; the last file is listed twice because the
 * demuxer ignores the last duration otherwise). The result is read back with
 * ffprobe so callers report what the file holds. Frames and the list live in a
 * temp dir that is removed even when encoding fails.
 */
export async function encodeVideo(frames: VideoFrame[], outFile: string, opts: VideoOptions = {}): Promise<EncodedVideo> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  checkVideoInput(frames, width, height);
  const { ffmpeg, ffprobe } = findFfmpeg(opts.ffmpeg ?? 'ffmpeg');
  const file = resolve(outFile);
  mkdirSync(dirname(file), { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-video-'));
  try {
    const list = join(dir, 'frames.txt');
    const files = frames.map((f, i) => writeFramePng(dir, i, f.svg, width, height));
    writeFileSync(list, concatList(files, frames));
    await run(ffmpeg, ffmpegArgs(list, file), 300_000);
    return { ...(await probe(ffprobe, file)), file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Refuses what cannot make a sensible video before any work is done (bad input: retrying cannot help). */
function checkVideoInput(frames: VideoFrame[], width: number, height: number): void {
  if (frames.length === 0) throw new BadInputError('encodeVideo: no frames to encode');
  const bad = frames.findIndex((f) => !(Number.isFinite(f.seconds) && f.seconds > 0));
  if (bad >= 0) throw new BadInputError(`encodeVideo: frame ${bad} has seconds=${frames[bad].seconds}; every frame needs a positive duration`);
  const total = frames.reduce((sum, f) => sum + f.seconds, 0);
  if (total > MAX_VIDEO_SECONDS) {
    throw new BadInputError(
      `encodeVideo: the frames last ${+total.toFixed(1)} s, over the ${MAX_VIDEO_SECONDS} s limit (the plan's video is at most 3 minutes)`,
      'drop frames or shorten their seconds',
    );
  }
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0 && v % 2 === 0)) throw new BadInputError(`encodeVideo: ${name} must be a positive even integer (yuv420p), got ${v}`);
  }
}

/** ffmpeg and its sibling ffprobe, or NotVerifiedError naming the missing one and how to install it. */
function findFfmpeg(ffmpegName: string): { ffmpeg: string; ffprobe: string } {
  const ffprobeName = ffmpegName.includes('/') ? join(dirname(ffmpegName), 'ffprobe') : 'ffprobe';
  const ffmpeg = findExecutable(ffmpegName);
  if (!ffmpeg) throw new NotVerifiedError(`video not encoded: ffmpeg not found (looked for "${ffmpegName}")`, INSTALL_HINT);
  const ffprobe = findExecutable(ffprobeName);
  if (!ffprobe) throw new NotVerifiedError(`video not encoded: ffprobe not found (looked for "${ffprobeName}")`, INSTALL_HINT);
  return { ffmpeg, ffprobe };
}

/**
 * Writes frame i as a width×height PNG and returns its file name. The frame is
 * rendered at the video's width, then centred (scaled down if too tall) on a
 * white canvas of exactly that size: ffmpeg rebuilds its filters when the
 * frame size changes, and that rebuild dropped the frames before it.
 */
function writeFramePng(dir: string, i: number, svg: string, width: number, height: number): string {
  const png = svgToPng(svg, { width }).toString('base64');
  const canvas =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}">` +
    `<image x="0" y="0" width="${width}" height="${height}" preserveAspectRatio="xMidYMid meet" xlink:href="data:image/png;base64,${png}"/></svg>`;
  const name = `frame-${String(i).padStart(4, '0')}.png`;
  writeFileSync(join(dir, name), svgToPng(canvas));
  return name;
}

/** The concat demuxer's list: names relative to the list's directory, the last file repeated (ffmpeg drops the last duration otherwise). */
export function concatList(files: string[], frames: VideoFrame[]): string {
  const lines = ['ffconcat version 1.0'];
  files.forEach((f, i) => lines.push(`file '${f}'`, `duration ${frames[i].seconds}`));
  lines.push(`file '${files[files.length - 1]}'`);
  return lines.join('\n') + '\n';
}

/**
 * H.264 yuv420p at 2 fps, index at the front for streaming. The rate comes
 * from the fps filter, not `-r`: with `-r` the repeated last list entry added
 * a second of frames (6 s of frames gave a 7 s file); with the filter each
 * frame lasts its duration.
 */
export function ffmpegArgs(list: string, outFile: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-vf', `fps=${FPS},format=yuv420p`].concat([
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    outFile,
  ]);
}

/** Runs a binary with a hard timeout; a failure names the command and quotes its stderr. */
async function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  const { execa } = await import('execa');
  const res = await execa(binary, args, { reject: false, timeout: timeoutMs, stdin: 'ignore', maxBuffer: 20_000_000 });
  if (res.exitCode !== 0) {
    const why = res.timedOut ? `killed after ${timeoutMs / 1000} s` : `exit code ${res.exitCode ?? res.signal}`;
    throw new Error(`${binary} ${args.join(' ')} failed (${why}): ${String(res.stderr ?? '').slice(-2000)}`);
  }
  return String(res.stdout ?? '');
}

/** Duration and frame count as the file holds them (decoding every frame, so a truncated file shows). */
async function probe(ffprobe: string, file: string): Promise<{ durationSeconds: number; frames: number }> {
  const args = ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-show_entries', 'format=duration'];
  const out = JSON.parse(await run(ffprobe, [...args, '-of', 'json', file], 60_000)) as {
    streams?: { nb_read_frames?: string }[];
    format?: { duration?: string };
  };
  const durationSeconds = Number(out.format?.duration);
  const frames = Number(out.streams?.[0]?.nb_read_frames);
  if (!Number.isFinite(durationSeconds) || !Number.isFinite(frames))
    throw new Error(`ffprobe could not read duration and frames of ${file}: ${JSON.stringify(out)}`);
  return { durationSeconds, frames };
}

export interface CaptionFrameOptions {
  title: string;
  caption: string;
  /** Shown in a monospace font, e.g. `kubectl get pods` output or log lines; cut to fit. */
  lines: string[];
  width?: number;
  height?: number;
}

/**
 * A plain, readable slide for the video: a dark title bar, one caption line,
 * then monospace lines. Lines that do not fit are cut (with "…" and a count)
 * rather than overflowing, and all text is XML-escaped since it comes from
 * the cluster (pod names, log lines).
 */
export function captionFrame(opts: CaptionFrameOptions): string {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 200 && height >= 200)) {
    throw new RangeError(`captionFrame: width and height must be integers of at least 200 px, got ${width}×${height}`);
  }
  const margin = 40;
  const mono = { size: 18, lineHeight: 24, top: 150 };
  const monoChars = Math.floor((width - 2 * margin) / (mono.size * 0.61));
  const fit = Math.max(0, Math.floor((height - mono.top - margin / 2) / mono.lineHeight) + 1);
  const shown = opts.lines.length > fit ? [...opts.lines.slice(0, Math.max(0, fit - 1)), `… ${opts.lines.length - fit + 1} more lines`] : opts.lines;
  const text = (x: number, y: number, attrs: string, s: string) => `<text x="${x}" y="${y}" ${attrs}>${escapeXml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect width="${width}" height="64" fill="#2c3e50"/>`,
    text(
      margin,
      43,
      'font-family="DejaVu Sans, sans-serif" font-size="28" font-weight="bold" fill="#ffffff"',
      truncate(opts.title, Math.floor((width - 2 * margin) / 18)),
    ),
    text(margin, 108, 'font-family="DejaVu Sans, sans-serif" font-size="22" fill="#2c3e50"', truncate(opts.caption, Math.floor((width - 2 * margin) / 13.5))),
    `<line x1="${margin}" y1="124" x2="${width - margin}" y2="124" stroke="#bdc3c7" stroke-width="1"/>`,
    ...shown.map((l, i) =>
      text(
        margin,
        mono.top + i * mono.lineHeight,
        `xml:space="preserve" font-family="DejaVu Sans Mono, monospace" font-size="${mono.size}" fill="#111111"`,
        truncate(l, monoChars),
      ),
    ),
    '</svg>',
  ].join('\n');
}

/** One display line: tabs as spaces, terminal colour codes and other control characters dropped (XML 1.0 forbids most of them), cut with "…". */
function truncate(s: string, max: number): string {
  const clean = s
    .replace(/\t/g, '    ')
    // eslint-disable-next-line no-control-regex -- terminal colour codes in log lines
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
    .replace(/[\x00-\x1f\x7f]/g, ' ');
  return clean.length <= max ? clean : clean.slice(0, Math.max(0, max - 1)) + '…';
}

/** Text and attribute values in SVG: the five XML specials. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}
