import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotVerifiedError } from '../../support/engine/errors';
import { lineChart } from '../../support/engine/evidence/chart';
import { svgToPng } from '../../support/engine/evidence/png';
import { captionFrame, concatList, encodeVideo } from '../../support/engine/outputs/video';
import { Browser } from '../../support/clients/browser';

// These run the real renderers: resvg (npm), ffmpeg/ffprobe and chromium (Debian,
// installed by `npm run components:build` → lab/components/render-tools.sh).

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function tempDirsNamed(prefix: string): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(prefix));
}

async function withServer(handler: Parameters<typeof createServer>[1], fn: (base: string) => Promise<void>): Promise<void> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

// ---- svgToPng

test('svgToPng renders a vega line chart at the requested width', async () => {
  const t0 = Date.UTC(2026, 0, 1, 12);
  const svg = await lineChart([{ name: 'producer msgs/s', points: [0, 1, 2, 3].map((i) => [t0 + i * 15_000, 40 + i]) }], { title: 'rate' });
  const { width, height } = pngSize(svgToPng(svg, { width: 1000 }));
  assert.equal(width, 1000);
  assert.ok(height > 200 && height < 1000, `height follows the chart's aspect ratio, got ${height}`);
});

test('svgToPng draws text (fonts are found): a text SVG differs from the same SVG without text', () => {
  const svg = (t: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"><text x="10" y="60" font-family="sans-serif" font-size="40">${t}</text></svg>`;
  const withText = svgToPng(svg('Hello pods'));
  const blank = svgToPng(svg(''));
  assert.deepEqual(pngSize(withText), { width: 400, height: 100 });
  assert.ok(withText.length > blank.length + 300, `text adds pixels: ${withText.length} vs blank ${blank.length} bytes`);
});

test('svgToPng fails on input that is not SVG and on a bad width', () => {
  assert.throws(() => svgToPng('<html>not svg</html>'));
  assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', { width: 0 }), /width must be a positive integer/);
});

// ---- captionFrame

test('captionFrame escapes text, cuts long lines and says how many lines were left out', () => {
  const lines = ['NAME   READY   STATUS', ...Array.from({ length: 60 }, (_, i) => `pod-${i} <1/1> & "Running"`), 'x'.repeat(500)];
  const svg = captionFrame({ title: 'M3 <pods> & "logs"', caption: "it's </text><script>", lines });
  assert.ok(!svg.includes('<script>') && !svg.includes('<pods>'), 'no raw markup from the text');
  assert.match(svg, /M3 &lt;pods&gt; &amp; &quot;logs&quot;/);
  assert.match(svg, /… \d+ more lines/);
  assert.ok(!svg.includes('x'.repeat(200)), 'a long line is cut');
  assert.deepEqual(pngSize(svgToPng(svg)), { width: 1280, height: 720 });
});

test('captionFrame refuses a frame too small to read', () => {
  assert.throws(() => captionFrame({ title: 't', caption: 'c', lines: [], width: 100, height: 50 }), /at least 200 px/);
});

// ---- encodeVideo

test('concatList repeats the last file, as the concat demuxer needs', () => {
  const list = concatList(
    ['a.png', 'b.png'],
    [
      { svg: '', seconds: 2 },
      { svg: '', seconds: 1.5 },
    ],
  );
  assert.equal(list, "ffconcat version 1.0\nfile 'a.png'\nduration 2\nfile 'b.png'\nduration 1.5\nfile 'b.png'\n");
});

test('encodeVideo: three frames of 2 s, 1 s and 3 s make a 6 s H.264 MP4; its temp dir is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-test-'));
  const before = tempDirsNamed('kubeproof-video-');
  try {
    const frame = (title: string) => captionFrame({ title, caption: 'kubectl get pods', lines: ['NAME  READY', 'producer-1  1/1'] });
    const chart = (
      await lineChart(
        [
          {
            name: 'replicas',
            points: [
              [Date.UTC(2026, 0, 1), 1],
              [Date.UTC(2026, 0, 1, 0, 1), 3],
            ],
          },
        ],
        { title: 'HPA' },
      )
    ).toString();
    const out = join(dir, 'sub', 'video.mp4');
    const res = await encodeVideo(
      [
        { svg: frame('one'), seconds: 2 },
        { svg: chart, seconds: 1 },
        { svg: frame('three'), seconds: 3 },
      ],
      out,
    );
    assert.equal(res.file, out);
    assert.ok(Math.abs(res.durationSeconds - 6) < 0.3, `duration ≈ 6 s, got ${res.durationSeconds}`);
    assert.ok(res.frames > 0, `frames: ${res.frames}`);
    assert.equal(readFileSync(out).toString('latin1', 4, 8), 'ftyp', 'an MP4 file');
    assert.deepEqual(tempDirsNamed('kubeproof-video-'), before, 'no temp dir left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('encodeVideo refuses frames totalling over 180 s before encoding anything', async () => {
  const out = join(tmpdir(), `render-test-long-${process.pid}.mp4`);
  const frames = [100, 100].map((seconds) => ({ svg: captionFrame({ title: 't', caption: 'c', lines: [] }), seconds }));
  await assert.rejects(encodeVideo(frames, out), /200 s, over the 180 s limit/);
  assert.ok(!existsSync(out));
});

test('encodeVideo without ffmpeg is not verified, naming the binary and how to install it', async () => {
  const frames = [{ svg: captionFrame({ title: 't', caption: 'c', lines: [] }), seconds: 1 }];
  await assert.rejects(encodeVideo(frames, join(tmpdir(), 'never.mp4'), { ffmpeg: '/nonexistent/ffmpeg' }), (e: Error) => {
    assert.ok(e instanceof NotVerifiedError, `NotVerifiedError, got ${e.name}`);
    assert.match(e.message, /\/nonexistent\/ffmpeg/);
    assert.match(e.message, /apt-get install ffmpeg/);
    return true;
  });
});

// ---- Browser

test('Browser screenshots a local page at the window size', async () => {
  const html =
    '<!doctype html><html><body style="margin:40px;font-family:sans-serif"><h1 style="font-size:72px">kubeproof screenshot</h1><p>served by node:http</p></body></html>';
  await withServer(
    (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html),
    async (base) => {
      const before = tempDirsNamed('kubeproof-browser-');
      const png = await new Browser().screenshot(`${base}/`, { width: 800, height: 600, waitMs: 1000 });
      assert.deepEqual(pngSize(png), { width: 800, height: 600 });
      assert.deepEqual(tempDirsNamed('kubeproof-browser-'), before, 'no temp dir left behind');
    },
  );
});

test('Browser fails, naming the URL, where nothing listens or the page is an error', async () => {
  // Port 1 is one fetch (and Chromium) refuse to use at all ("bad port").
  await assert.rejects(new Browser().screenshot('http://127.0.0.1:1/', { timeoutMs: 10_000 }), /http:\/\/127\.0\.0\.1:1\/ failed/);
  // A port that was just freed: connection refused.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  await assert.rejects(new Browser().screenshot(`http://127.0.0.1:${port}/ui`), new RegExp(`http://127\\.0\\.0\\.1:${port}/ui failed: .*ECONNREFUSED`));
  await withServer(
    (_req, res) => res.writeHead(404).end('no such page'),
    async (base) => {
      await assert.rejects(new Browser().screenshot(`${base}/targets`), new RegExp(`${base}/targets.*HTTP 404`));
    },
  );
});

test('Browser with a missing binary is not verified, naming it and how to install one', async () => {
  assert.equal(Browser.find('/nonexistent/chromium'), undefined);
  await assert.rejects(new Browser('/nonexistent/chromium').screenshot('http://127.0.0.1:1/'), (e: Error) => {
    assert.ok(e instanceof NotVerifiedError, `NotVerifiedError, got ${e.name}`);
    assert.match(e.message, /\/nonexistent\/chromium/);
    assert.match(e.message, /apt-get install chromium/);
    return true;
  });
});
