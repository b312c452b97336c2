/**
 * Issue 13, Chromium moonshot, measured: can a page of the extension (an offscreen document)
 * fetch the image itself, hash it while the bytes arrive, and hand the finished bytes to the
 * browser's download machinery, within bounded memory?
 *
 *   npx tsx bench/chromium-blob-download.ts [MiB …]     (default 256 1024; e.g. 2048)
 *
 * For each size, in headless Chromium, same file, same run:
 *   normal     a link to the file is clicked: the browser downloads it (what a person does).
 *   blob       the page fetch()es the file, hashes every chunk with hash-wasm SHA-256 as it
 *              arrives, collects the chunks as Blobs of 16 MiB (so the page's own heap holds at
 *              most one batch), builds one Blob of them, and downloads its blob: URL (<a download>;
 *              an offscreen document would pass the same blob: URL to downloads.download()).
 * Reported: wall time to the finished file, peak RSS of the whole Chromium process tree
 * (sampled every 100 ms from /proc), peak disk use (download dir + browser profile, where
 * Chromium pages large blobs out), and Chromium's blob limits as reported in the profile.
 * The page is served from a loopback server on a free port (no fixed port is used).
 */
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIB = 1024 * 1024;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [256, 1024];

function makeFile(mib: number): string {
  const dir = path.join(ROOT, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `moonshot-${mib}MiB.bin`);
  if (existsSync(file) && statSync(file).size === mib * MIB) return file;
  // Content does not matter for memory or disk; a random 1 MiB block, varied per MiB.
  const block = randomBytes(MIB);
  const fd = openSync(file, 'w');
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
  return file;
}

const HASH_WASM = readFileSync(path.join(ROOT, 'node_modules', 'hash-wasm', 'dist', 'sha256.umd.min.js'), 'utf8');

const PAGE = `<!doctype html><meta charset="utf-8"><a id="normal" href="/file" download="normal.bin">normal</a>
<script>${HASH_WASM}</script>
<script>
window.blobDownload = async () => {
  const hasher = await hashwasm.createSHA256();
  hasher.init();
  const response = await fetch('/file', { cache: 'no-store' });
  const reader = response.body.getReader();
  const parts = [];
  let batch = [];
  let batchBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
    batch.push(value);
    batchBytes += value.byteLength;
    if (batchBytes >= 16 * 1024 * 1024) { parts.push(new Blob(batch)); batch = []; batchBytes = 0; }
  }
  if (batch.length) parts.push(new Blob(batch));
  const digest = hasher.digest('hex');
  const blob = new Blob(parts, { type: 'application/octet-stream' });
  // Is the blob's data really there? (Chromium may refuse to store it: then reading fails.)
  let readable = 'yes';
  try { await blob.slice(blob.size - 1).arrayBuffer(); } catch (e) { readable = String(e); }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'blob.bin';
  document.body.append(a);
  a.click();
  return { digest, size: blob.size, readable };
};
</script>`;

function serve(file: string): Promise<{ server: Server; url: string }> {
  const size = statSync(file).size;
  const server = createServer((req, res) => {
    if (req.url === '/file') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      createReadStream(file, { highWaterMark: MIB }).pipe(res);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` }),
    ),
  );
}

/** RSS (bytes) of `pid` and all its descendants, from /proc. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pages = Number(fields[21]);
      const p = Number(entry);
      rss.set(p, pages * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), p]);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

function duBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      try {
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) total += statSync(p).blocks * 512;
      } catch {
        /* gone */
      }
    }
  };
  walk(dir);
  return total;
}

interface Result {
  seconds: number;
  peakRssMiB: number;
  baseRssMiB: number;
  peakDiskMiB: number;
  blobStorageMiB: number;
  note?: string;
}

async function runCase(kind: 'normal' | 'blob', file: string, url: string): Promise<Result> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'moonshot-'));
  const downloads = path.join(scratch, 'downloads');
  const profile = path.join(scratch, 'profile');
  mkdirSync(downloads);
  const size = statSync(file).size;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    downloadBehavior: { policy: 'allow', downloadPath: downloads },
    args: [
      '--disable-gpu',
      '--no-first-run',
      '--disable-dev-shm-usage',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  const pid = browser.process()!.pid!;
  // Download events tell how a download ended (a blob download may be cancelled by the browser).
  const cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  let ended: string | undefined;
  let sampler: ReturnType<typeof setInterval> | undefined;
  cdp.on('Browser.downloadProgress', (e: { state: string; receivedBytes: number }) => {
    if (e.state !== 'inProgress') ended = `${e.state} at ${e.receivedBytes} bytes`;
  });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 1000));
    const baseRss = treeRss(pid);
    let peakRss = baseRss;
    let peakDisk = 0;
    let peakBlob = 0;
    sampler = setInterval(() => {
      peakRss = Math.max(peakRss, treeRss(pid));
      peakDisk = Math.max(peakDisk, duBytes(scratch));
      peakBlob = Math.max(peakBlob, duBytes(path.join(profile, 'Default', 'blob_storage')));
    }, 100);
    const started = Date.now();
    let note: string | undefined;
    if (kind === 'normal') await page.click('#normal');
    else {
      const out = (await page.evaluate('window.blobDownload()')) as { digest: string; size: number; readable: string };
      note = `page sha256 ${out.digest.slice(0, 16)}…, blob ${out.size} bytes, last byte readable: ${out.readable}, fetched+hashed in ${((Date.now() - started) / 1000).toFixed(1)} s`;
      process.stdout.write(`  ${note}\n`);
    }
    const target = path.join(downloads, kind === 'normal' ? 'normal.bin' : 'blob.bin');
    for (;;) {
      const st = existsSync(target) ? statSync(target) : undefined;
      if (
        st &&
        st.size === size &&
        !existsSync(`${target}.crdownload`) &&
        readdirSync(downloads).every((f) => !f.endsWith('.crdownload'))
      )
        break;
      if (ended && !ended.startsWith('completed')) throw new Error(`${kind}: the download ended ${ended}`);
      if (Date.now() - started > 10 * 60_000)
        throw new Error(`${kind}: no finished file after 10 min (${ended ?? 'no download event'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    return {
      seconds,
      peakRssMiB: peakRss / MIB,
      baseRssMiB: baseRss / MIB,
      peakDiskMiB: peakDisk / MIB,
      blobStorageMiB: peakBlob / MIB,
      ...(note ? { note } : {}),
    };
  } finally {
    clearInterval(sampler);
    await browser.close().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

const rows: string[] = [];
const results: Record<string, Result> = {};
for (const mib of SIZES) {
  const file = makeFile(mib);
  const { server, url } = await serve(file);
  try {
    for (const kind of ['normal', 'blob'] as const) {
      let r: Result;
      try {
        r = await runCase(kind, file, url);
      } catch (error) {
        const line = `| ${mib} MiB | ${kind} | failed: ${String(error).slice(0, 200)} | | | |`;
        rows.push(line);
        process.stdout.write(`${line}\n`);
        continue;
      }
      results[`${kind}-${mib}`] = r;
      const line = `| ${mib} MiB | ${kind} | ${r.seconds.toFixed(1)} s | ${r.peakRssMiB.toFixed(0)} MiB (idle ${r.baseRssMiB.toFixed(0)}, +${(r.peakRssMiB - r.baseRssMiB).toFixed(0)}) | ${r.peakDiskMiB.toFixed(0)} MiB | ${r.blobStorageMiB.toFixed(0)} MiB |`;
      rows.push(line);
      process.stdout.write(`${line}${r.note ? `  ${r.note}` : ''}\n`);
    }
  } finally {
    server.close();
  }
}
process.stdout.write(
  `\n| size | path | time | peak RSS (Chromium tree) | peak disk (downloads + profile) | of it blob_storage |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`,
);
mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
writeFileSync(path.join(ROOT, 'artifacts', 'moonshot.json'), `${JSON.stringify(results, null, 2)}\n`);
