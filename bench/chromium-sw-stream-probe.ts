/**
 * Issue 13 moonshot, second idea: can the extension stream the mirror's response into a
 * download through its own service worker? The probe extension (test/e2e/fixtures/
 * sw-stream-probe) answers fetch events for chrome-extension://<id>/stream.bin with the
 * mirror's body piped through a counting TransformStream; the probe then calls
 * downloads.download() for that URL and reports whether a fetch event arrived and how the
 * download ended.   npx tsx bench/chromium-sw-stream-probe.ts   (uses a 256 MiB file)
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const size = 256 * 1024 * 1024;
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
  const file = path.join(ROOT, '.cache', 'bench', 'moonshot-256MiB.bin');
  if (existsSync(file)) createReadStream(file).pipe(res);
  else res.end(Buffer.alloc(size));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const src = `http://127.0.0.1:${(server.address() as { port: number }).port}/file`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sw-probe-'));
const downloads = path.join(dir, 'downloads');
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  pipe: true,
  enableExtensions: true,
  userDataDir: path.join(dir, 'profile'),
  args: ['--disable-gpu', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
});
try {
  const cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  let ended: { state: string; receivedBytes: number } | undefined;
  cdp.on('Browser.downloadProgress', (e: { state: string; receivedBytes: number }) => {
    if (e.state !== 'inProgress') ended = e;
  });
  const id = await browser.installExtension(path.join(ROOT, 'test', 'e2e', 'fixtures', 'sw-stream-probe'));
  const worker = await (
    await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(id))
  ).worker();
  if (!worker) throw new Error('no service worker');
  type Chrome = {
    downloads: {
      download(o: { url: string; filename: string }): Promise<number>;
      search(q: object): Promise<{ state: string; error?: string; bytesReceived: number }[]>;
    };
    runtime: { getURL(p: string): string };
  };
  const started = await worker.evaluate((from: string) => {
    const c = (globalThis as unknown as { chrome: Chrome }).chrome;
    return c.downloads
      .download({ url: `${c.runtime.getURL('stream.bin')}?src=${encodeURIComponent(from)}`, filename: 'x.bin' })
      .then(
        (n) => `id ${n}`,
        (e: Error) => `error ${e.message}`,
      );
  }, src);
  for (let i = 0; i < 300 && !ended; i++) await new Promise((r) => setTimeout(r, 200));
  const stats = await worker.evaluate(() => (globalThis as unknown as { stats: unknown }).stats);
  const items = await worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.downloads.search({}));
  process.stdout.write(
    `downloads.download(): ${started}\nservice worker: ${JSON.stringify(stats)}\ndownload: ${JSON.stringify(items)}\nfiles: ${
      existsSync(downloads)
        ? readdirSync(downloads)
            .map((f) => `${f} ${statSync(path.join(downloads, f)).size}`)
            .join(', ')
        : 'none'
    }\n`,
  );
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
