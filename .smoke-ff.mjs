import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
const mirror = process.argv[2] ?? 'good';
const dl = fs.mkdtempSync('/tmp/dlff-');
const uuid = '11111111-2222-3333-4444-555555555555';
const browser = await puppeteer.launch({
  browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, dumpio: true,
  extraPrefsFirefox: {
    'extensions.webextensions.uuids': JSON.stringify({ 'iso-verify@iso-verify.invalid': uuid }),
    'browser.download.dir': dl, 'browser.download.folderList': 2, 'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.helperApps.neverAsk.saveToDisk': 'application/octet-stream',
    'xpinstall.signatures.required': false, 'devtools.console.stdout.chrome': true, 'devtools.console.stdout.content': true,
  },
});
const id = await browser.installExtension('/tmp/ffext');
console.log('installed', id);
const ext = await browser.newPage();
await ext.goto('http://127.0.0.1:8470/install/');
await Promise.all([ext.waitForNavigation().catch((e) => console.log('nav', e.message.slice(0,30))), ext.evaluate((u) => { location.href = u; }, `moz-extension://${uuid}/popup.html`)]);
console.log('at', ext.url());
const perms = await ext.evaluate(() => browser.permissions.getAll());
console.log('perms', JSON.stringify(perms));
await new Promise((r) => setTimeout(r, 1500));
const url = `http://127.0.0.1:8471/${mirror}/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img`;
const web = await browser.newPage(); await web.goto('http://127.0.0.1:8470/install/'); await web.evaluate((u) => { const a = document.createElement('a'); a.href = u; document.body.append(a); a.click(); }, url);
const t0 = Date.now();
let last;
while (Date.now() - t0 < 40000) {
  const s = await ext.evaluate(async () => (await browser.storage.local.get('downloads')).downloads);
  const d = s && Object.values(s)[0];
  const line = d && `${d.phase} ${d.receivedBytes}/${d.totalBytes} ${d.verdict?.kind ?? ''} ${d.hashSource} ${d.error ? JSON.stringify(d.error) : ''}`;
  const extra = await ext.evaluate(async () => JSON.stringify([(await browser.downloads.search({})).map((i) => [i.state, i.bytesReceived, i.fileSize, i.totalBytes, i.url]), Object.keys((await browser.storage.local.get('streamHashes')).streamHashes ?? {}), Object.values((await browser.storage.local.get('hashCheckpoints')).hashCheckpoints ?? {}).map((c) => c.offset)]));
  if (line !== last) console.log(Date.now() - t0 + 'ms', line, extra);
  last = line;
  if (d && (d.phase === 'done' || d.phase === 'awaiting-file')) { await new Promise((r) => setTimeout(r, 2000)); console.log(await ext.evaluate(async () => JSON.stringify([(await browser.downloads.search({})).map((i) => [i.state, i.bytesReceived, i.fileSize]), Object.values((await browser.storage.local.get('streamHashes')).streamHashes ?? {}).map((h) => h.bytes)]))); console.log(JSON.stringify({ alt: d.alternativeUrl, sha: d.verdict?.evidence?.file })); break; }
  await new Promise((r) => setTimeout(r, 300));
}
await browser.close();
