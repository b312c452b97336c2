/**
 * The website widget (src/embed) and the official-site bridge (src/site), in Chromium and
 * Firefox, on the demo official site's download page (test/servers/site/download.html):
 *
 *  1. without the extension the widget verifies a good image, rejects a changed one and a
 *     description signed by a rogue key;
 *  2. with the extension (dist/<browser>, built with --env profile=demo) the page shows the
 *     extension's verdict for a download the extension watched, and a file picked in the widget
 *     is verified by the extension;
 *  3. a page on another origin gets no answer, and messages from another origin or carrying a
 *     page-supplied hash, key or URL get nothing — while a well-formed hello from the official
 *     page does (so the silence is meaningful).
 *
 * Needs: npx webpack --mode production --env profile=demo (extension + dist/embed).
 */
import { copyFile, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { verdictOf } from '../../src/wire/download.js';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaryT, type MessagesJson } from '../../src/ui-kit/i18n-core.js';
import { mirrorPrefixes } from '../servers/mirror.js';
import { startOfficialSite, type OfficialSite } from '../servers/official-site.js';
import { launchPlain, launchWithExtension, sleep, type BrowserName } from './harness.js';
import { verifyInWidget } from './widget.js';
import { REPO_ROOT, SCREENSHOT_DIR, startDemoWorld, type DemoWorld } from './world.js';

const WIDGET = 'iso-verify-download >>> [data-testid="iso-verify-widget"]';
const CHANNEL = 'iso-verify/v1';
const BROWSERS: BrowserName[] = ['chromium', 'firefox'];
const EXTENSION_DIR: Record<BrowserName, string> = {
  chromium: path.join(REPO_ROOT, 'dist', 'chrome'),
  firefox: path.join(REPO_ROOT, 'dist', 'firefox'),
};

let world: DemoWorld;
/** The same site on another port: another origin for the widget and the bridge. */
let otherSite: OfficialSite;
let scratch: string;
/** tails-amd64-7.2.img with one byte changed, as the rogue mirror serves it. */
let rogueImage: string;

beforeAll(async () => {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'embed', 'iso-verify-embed.js'))) {
    throw new Error('dist/embed is missing: run npx webpack --mode production --env profile=demo');
  }
  world = await startDemoWorld();
  otherSite = await startOfficialSite({ port: 0, release: world.release, mirrors: mirrorPrefixes(world.mirrorUrl) });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'iso-verify-embed-e2e-'));
  const image = world.image('img');
  await mkdir(path.join(scratch, 'rogue'), { recursive: true });
  rogueImage = path.join(scratch, 'rogue', image.name);
  await copyFile(image.file, rogueImage);
  const handle = await open(rogueImage, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, world.release.rogueByteOffset);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, world.release.rogueByteOffset);
  } finally {
    await handle.close();
  }
});

afterAll(async () => {
  await otherSite?.close();
  await world?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function shot(browser: BrowserName, name: string): string {
  return path.join(SCREENSHOT_DIR, `embed-${browser}-${name}.png`);
}

async function openDownloadPage(browser: Browser, siteUrl: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${siteUrl}/install/`, { waitUntil: 'load' });
  await page.waitForSelector(WIDGET, { timeout: 20_000 });
  return page;
}

/** Wait until the widget knows whether the extension is there; returns present|absent. */
async function extensionState(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      const state = document
        .querySelector('iso-verify-download')
        ?.shadowRoot?.querySelector('[data-testid="iso-verify-widget"]')
        ?.getAttribute('data-extension');
      return state === 'present' || state === 'absent' ? state : false;
    },
    { timeout: 20_000, polling: 200 },
  );
  return (await handle.jsonValue()) as string;
}

/** Every text the widget shows is translated: no message key leaks through (docs/embed.md). */
async function expectNoRawKeys(page: Page): Promise<void> {
  const text = await page.evaluate(() => {
    const root = document.querySelector('iso-verify-download')?.shadowRoot;
    root?.querySelectorAll('details').forEach((d) => d.setAttribute('open', ''));
    return root?.textContent ?? '';
  });
  expect(text.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) ?? []).toEqual([]);
}

/**
 * From inside a page: post `message` to the page's own window and collect every reply on the
 * bridge's channel for `waitMs`.
 */
async function probe(page: Page, message: unknown, waitMs = 2_500): Promise<unknown[]> {
  return page.evaluate(
    async (msg: unknown, wait: number, channel: string) => {
      const replies: unknown[] = [];
      const listener = (event: MessageEvent) => {
        const data = event.data as { channel?: string; direction?: string } | null;
        // Our own message (a forged 'to-page' one) is not a reply.
        if (data?.channel === channel && data.direction === 'to-page' && JSON.stringify(data) !== sent)
          replies.push(data);
      };
      window.addEventListener('message', listener);
      const sent = JSON.stringify(msg);
      const withFile = msg as { file?: unknown };
      if (withFile && withFile.file === 'FILE') withFile.file = new File([new Uint8Array(16)], 'tails-amd64-7.2.img');
      window.postMessage(msg, location.origin);
      await new Promise((resolve) => setTimeout(resolve, wait));
      window.removeEventListener('message', listener);
      return replies;
    },
    message,
    waitMs,
    CHANNEL,
  );
}

const request = (type: string, extra: Record<string, unknown> = {}) => ({
  channel: CHANNEL,
  direction: 'to-extension',
  id: `t-${type}-${Math.random().toString(36).slice(2, 8)}`,
  type,
  ...extra,
});

describe.each(BROWSERS)('website widget without the extension in %s', (name) => {
  it('verifies a good image and rejects a changed one and a rogue signature', async () => {
    const browser = await launchPlain(name);
    try {
      const page = await openDownloadPage(browser, world.siteUrl);
      expect(await extensionState(page)).toBe('absent');
      await page.screenshot({ path: shot(name, 'idle'), fullPage: true });

      const good = await verifyInWidget(page, world.image('img').file);
      expect(good).toMatchObject({ kind: 'verified', byExtension: false });
      expect(good.headline).toContain('Tails 7.2');
      await expectNoRawKeys(page);
      const widget = await page.$('iso-verify-download');
      await widget!.screenshot({ path: shot(name, 'verified') });

      const changed = await verifyInWidget(page, rogueImage);
      expect(changed.kind).toBe('mismatch');
      await widget!.screenshot({ path: shot(name, 'mismatch') });

      // The site serves a description signed by a key that is not pinned.
      await world.setSiteMode({ descriptionSigner: 'rogue' });
      try {
        const rogue = await verifyInWidget(page, world.image('img').file);
        expect(rogue.kind).toBe('unverifiable');
        await expectNoRawKeys(page);
        await widget!.screenshot({ path: shot(name, 'rogue-signature') });
      } finally {
        await world.setSiteMode('reset');
      }

      // The page's language picks the widget's: German.
      await page.evaluate(() => {
        document.documentElement.lang = 'de';
        const element = document.querySelector('iso-verify-download')!;
        element.setAttribute('channel', element.getAttribute('channel')!); // re-render
      });
      await page.waitForFunction(
        () => document.querySelector('iso-verify-download')?.shadowRoot?.textContent?.includes('Verifizieren Sie'),
        { timeout: 10_000 },
      );
      const german = await verifyInWidget(page, world.image('img').file);
      expect(german.kind).toBe('verified');
      const de = dictionaryT(
        JSON.parse(await readFile(path.join(REPO_ROOT, 'public/_locales/de/messages.json'), 'utf8')) as MessagesJson,
        'de',
      );
      expect(german.headline).toBe(
        de('verdict_verified', [de('release_name', ['Tails', world.release.current, de('type_img')]), 'Tails']),
      );
      await widget!.screenshot({ path: shot(name, 'verified-de') });

      // Themed from the page: custom properties reach into the shadow root, parts can be styled.
      await page.addStyleTag({
        content:
          'iso-verify-download { --iso-verify-accent: #56347c; --iso-verify-good: #1b5e20; --iso-verify-radius: 2px; } iso-verify-download::part(intro) { font-style: italic; }',
      });
      const accent = await page.$eval(
        'iso-verify-download >>> .button--primary',
        (el) => getComputedStyle(el).backgroundColor,
      );
      expect(accent).toBe('rgb(86, 52, 124)');
      const intro = await page.$eval('iso-verify-download >>> [part="intro"]', (el) => getComputedStyle(el).fontStyle);
      expect(intro).toBe('italic');
      await widget!.screenshot({ path: shot(name, 'themed') });
    } finally {
      await browser.close();
    }
  });
});

describe.each(BROWSERS)('website widget with the extension in %s', (name) => {
  it('shows the verdict of a watched download, verifies through the extension, and answers nobody else', async () => {
    const eb = await launchWithExtension(name, { extensionDir: EXTENSION_DIR[name] });
    try {
      // The extension watches a download from the good mirror and verifies it.
      const image = world.image('img');
      await eb.download(world.mirrorUrlFor('good', image));
      let tracked = await eb.waitForDownload((d) => d.fileName === image.name, {
        timeoutMs: 240_000,
        settled: (d) => verdictOf(d) !== undefined || d.phase === 'awaiting-file',
      });
      if (tracked.phase === 'awaiting-file') {
        // The extension could not hash this download by itself (Chrome without file access, or
        // a Firefox stream hash that did not complete): the person picks the file on the
        // extension's verify page, which attaches the verdict to the tracked download.
        process.stderr.write(
          `embed e2e (${name}): download awaiting the file (${JSON.stringify(tracked.error ?? null)}); completing it on verify.html\n`,
        );
        const verifyPage = await eb.openExtensionPage(`verify.html?download=${tracked.id}`);
        const input = await verifyPage.waitForSelector('input[data-testid="file-input"]');
        await input!.uploadFile(path.join(eb.downloadDir, image.name));
        tracked = await eb.waitForDownload((d) => d.fileName === image.name, { timeoutMs: 120_000 });
        await verifyPage.close();
      }
      expect(verdictOf(tracked)?.kind).toBe('verified');

      const page = await openDownloadPage(eb.browser, world.siteUrl);
      // From the page's own context (main world), watch every node and attribute the content
      // script adds, before it embeds its verification frame.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { addedByOthers: string[] }).addedByOthers = seen;
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes)
              seen.push(node instanceof Element ? node.outerHTML : String(node.textContent));
            if (record.type === 'attributes' && record.target instanceof Element)
              seen.push(`${record.attributeName}=${record.target.getAttribute(record.attributeName!)}`);
          }
        }).observe(document, { subtree: true, childList: true, attributes: true });
      });
      expect(await extensionState(page)).toBe('present');
      const line = await page.waitForSelector(
        'iso-verify-download >>> [data-testid="extension-download"][data-verdict="verified"]',
        { timeout: 20_000 },
      );
      const text = await line!.evaluate((el) => el.textContent ?? '');
      expect(text).toContain(`Your download ${image.name} was verified by the ISO Verify extension`);
      const widget = await page.$('iso-verify-download');
      await widget!.screenshot({ path: shot(name, 'extension-watched') });
      await expectNoRawKeys(page);

      // A file picked in the widget is verified by the extension, with its own key.
      const bad = await verifyInWidget(page, rogueImage);
      expect(bad).toMatchObject({ kind: 'mismatch', byExtension: true });
      const good = await verifyInWidget(page, image.file);
      expect(good).toMatchObject({ kind: 'verified', byExtension: true });
      await widget!.screenshot({ path: shot(name, 'extension-verified') });

      // The verification frame exists now (the verdicts above came through it), yet nothing the
      // page's scripts can reach names the extension's address — in Firefox a per-install
      // moz-extension://<uuid>, i.e. a tracking identifier.
      const leak = await page.evaluate(() => {
        const found: string[] = [];
        const look = (where: string, text: string | null | undefined) => {
          if (text && /(?:moz|chrome)-extension:/i.test(text)) found.push(`${where}: ${text.slice(0, 200)}`);
        };
        look('document', document.documentElement.outerHTML);
        const roots: (Document | ShadowRoot)[] = [document];
        for (let i = 0; i < roots.length; i++) {
          for (const el of roots[i]!.querySelectorAll('*')) {
            if (el.shadowRoot) roots.push(el.shadowRoot); // only open roots: all a page script gets
            for (const attr of el.getAttributeNames()) look(`${el.tagName}[${attr}]`, el.getAttribute(attr));
            if (el instanceof HTMLIFrameElement) look('iframe.src', el.src);
          }
          if (roots[i] !== document) look('shadow root', (roots[i] as ShadowRoot).innerHTML);
        }
        for (const entry of performance.getEntries()) look(`performance ${entry.entryType}`, entry.name);
        for (let i = 0; i < window.frames.length; i++) {
          try {
            look(`frames[${i}].location`, window.frames[i]!.location.href);
          } catch {
            // cross-origin: unreadable, as intended
          }
        }
        for (const text of (window as unknown as { addedByOthers: string[] }).addedByOthers) look('mutation', text);
        return { found, frames: window.frames.length };
      });
      expect(leak.found).toEqual([]);
      // A frame in a shadow tree is not a document-tree child: the page cannot even count it.
      expect(leak.frames).toBe(0);

      // status: only the newest download of the current release and what the widget shows of it.
      const status = await probe(page, request('status'), 1_500);
      expect(status).toEqual([
        {
          channel: CHANNEL,
          direction: 'to-page',
          id: expect.any(String),
          type: 'status',
          downloads: [
            {
              fileName: image.name,
              phase: 'done',
              verdict: {
                kind: 'verified',
                product: 'Tails',
                version: world.release.current,
                type: 'img',
                signatureTime: expect.any(String),
              },
            },
          ],
        },
      ]);

      // The extension checks the site's release data with its own pinned key: a description
      // signed by another key is not accepted, whatever the page says. The ISO's release data
      // has not been fetched yet (the background caches what it fetched, per file name, for the
      // image above), so this fetch meets the rogue description.
      await world.setSiteMode({ descriptionSigner: 'rogue' });
      try {
        const viaExtension = await verifyInWidget(page, world.image('iso').file);
        expect(viaExtension).toMatchObject({ kind: 'unverifiable', byExtension: true });
      } finally {
        await world.setSiteMode('reset');
      }

      // Control: a well-formed hello from the official page is answered...
      const answered = await probe(page, request('hello'));
      expect(answered).toHaveLength(1);
      expect(answered[0]).toMatchObject({ type: 'hello', extension: 'iso-verify', profile: 'demo' });
      // ...and nothing that carries a hash, key, fingerprint or URL, or an unknown type, is.
      const sha256 = image.sha256;
      for (const forged of [
        request('verify-file', { file: 'FILE', sha256 }),
        request('verify-file', { file: 'FILE', url: `${world.siteUrl}/evil.json` }),
        request('hello', { key: '-----BEGIN PGP PUBLIC KEY BLOCK-----' }),
        request('status', { fingerprint: world.release.rogue.fingerprint }),
        request('set-key', { key: 'x' }),
        { ...request('hello'), direction: 'to-page' },
        { ...request('hello'), channel: 'iso-verify/v0' },
      ]) {
        expect(await probe(page, forged, 1_200), JSON.stringify(forged).slice(0, 120)).toEqual([]);
      }

      // A hello from a frame on another origin, posted into the official page: nothing.
      await page.evaluate(
        async (otherUrl: string, channel: string) => {
          const seen: unknown[] = [];
          (window as unknown as { bridgeReplies: unknown[] }).bridgeReplies = seen;
          window.addEventListener('message', (event) => {
            const data = event.data as { channel?: string; direction?: string } | null;
            if (data?.channel === channel && data.direction === 'to-page') seen.push(data);
          });
          const frame = document.createElement('iframe');
          frame.src = `${otherUrl}/install/`;
          const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
          document.body.append(frame);
          await loaded;
        },
        otherSite.url,
        CHANNEL,
      );
      const frame = page.frames().find((f) => f.url().startsWith(otherSite.url));
      expect(frame).toBeDefined();
      await frame!.evaluate((channel: string) => {
        window.parent.postMessage({ channel, direction: 'to-extension', id: 'from-frame', type: 'hello' }, '*');
      }, CHANNEL);
      await sleep(1_500);
      const fromFrame = await page.evaluate(() =>
        (window as unknown as { bridgeReplies: { id?: string }[] }).bridgeReplies.filter((r) => r.id === 'from-frame'),
      );
      expect(fromFrame).toEqual([]);

      // Pages on other origins: another port, and localhost instead of 127.0.0.1.
      for (const url of [otherSite.url, world.siteUrl.replace('127.0.0.1', 'localhost')]) {
        const other = await openDownloadPage(eb.browser, url);
        expect(await extensionState(other), url).toBe('absent');
        expect(await probe(other, request('hello')), url).toEqual([]);
        await other.close();
      }
    } finally {
      await eb.close();
    }
  });

  it('keeps answering the official page after two tabs flood the bridge', async () => {
    const eb = await launchWithExtension(name, { extensionDir: EXTENSION_DIR[name] });
    try {
      const tabs = [
        await openDownloadPage(eb.browser, world.siteUrl),
        await openDownloadPage(eb.browser, world.siteUrl),
      ];
      for (const tab of tabs) expect(await extensionState(tab)).toBe('present');
      // Each tab posts thousands of malformed requests and well-formed status requests at once,
      // as a broken or hostile page script could (the bridge answers its own page only).
      const flooded = await Promise.all(
        tabs.map((tab) =>
          tab.evaluate((channel: string) => {
            let posted = 0;
            for (let i = 0; i < 3000; i++) {
              window.postMessage(
                { channel, direction: 'to-extension', id: `junk-${i}`, type: 'nonsense' },
                location.origin,
              );
              window.postMessage({ channel, direction: 'to-extension', id: '!', type: 'hello' }, location.origin);
              window.postMessage({ channel, direction: 'to-extension', id: `s-${i}`, type: 'status' }, location.origin);
              posted += 3;
            }
            return posted;
          }, CHANNEL),
        ),
      );
      expect(flooded).toEqual([9000, 9000]);
      // Right after the flood: a hello is answered, and a fresh verification from the official
      // page reaches a verdict through the extension — not `internal` (seen once in Firefox when
      // the frame's 15 s start-up timer ran from its creation while the extension was busy).
      const helloMs = await tabs[0]!.evaluate(
        (msg: { id: string }, channel: string) =>
          new Promise<number>((resolve, reject) => {
            const started = performance.now();
            const timer = setTimeout(() => reject(new Error('no hello reply within 10 s of the flood')), 10_000);
            window.addEventListener('message', (event) => {
              const data = event.data as { channel?: string; direction?: string; id?: string } | null;
              if (data?.channel === channel && data.direction === 'to-page' && data.id === msg.id) {
                clearTimeout(timer);
                resolve(performance.now() - started);
              }
            });
            window.postMessage(msg, location.origin);
          }),
        request('hello'),
        CHANNEL,
      );
      process.stderr.write(`embed e2e (${name}): hello answered ${Math.round(helloMs)} ms after the flood\n`);
      const verdict = await verifyInWidget(tabs[0]!, world.image('img').file);
      expect(verdict).toMatchObject({ kind: 'verified', byExtension: true });
      // The other tab, flooded the same way, verifies too.
      expect(await verifyInWidget(tabs[1]!, world.image('img').file)).toMatchObject({
        kind: 'verified',
        byExtension: true,
      });
    } finally {
      await eb.close();
    }
  });
});
