import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
const ext = '/work/main/dist/chrome';
const mirror = process.argv[2] ?? 'good';
const dl = fs.mkdtempSync('/tmp/dl-');
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, pipe: true, enableExtensions: [ext],
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const swTarget = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('background.js'));
const worker = await swTarget.worker();
worker.on('console', (m) => console.log('SW:', m.type(), m.text()));
const cdp = await browser.target().createCDPSession();
await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dl, eventsEnabled: true });
const url = `http://127.0.0.1:8471/${mirror}/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img`;
await new Promise((r) => setTimeout(r, 1500)); // mirror pool warm-up
await worker.evaluate((u) => chrome.downloads.download({ url: u }), url);
const t0 = Date.now();
let last;
while (Date.now() - t0 < 8000) {
  const s = await worker.evaluate(async () => (await chrome.storage.local.get('downloads')).downloads);
  const d = s && Object.values(s)[0];
  const items = await worker.evaluate(() => chrome.downloads.search({}).then((l) => l.map((i) => [i.state, i.error, i.bytesReceived, i.filename])));
  const line = JSON.stringify(items) + ' ' + (d && `${d.phase} ${d.receivedBytes}/${d.totalBytes} ${d.progress ? JSON.stringify(d.progress) : ''} ${d.verdict?.kind ?? ''} ${d.error ? JSON.stringify(d.error) : ''}`);
  if (line !== last) console.log((Date.now() - t0) + 'ms', line, await worker.evaluate(() => chrome.action.getBadgeText({})));
  last = line;
  if (d && (d.phase === 'done' || d.phase === 'awaiting-file')) { console.log(JSON.stringify({ alt: d.alternativeUrl, src: d.hashSource, repro: d.repro?.met, signer: d.verdict?.signer })); break; }
  await new Promise((r) => setTimeout(r, 300));
}
await browser.close();
