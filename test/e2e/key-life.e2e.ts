/**
 * The key's life in the browsers (issue #19): the time-travel suite of the CLI
 * (test/unit/cli/key-life.test.ts) with each browser's own clock moved. The same GnuPG key life
 * (test/helpers/key-life.ts) is pinned into an extension built for this test (a profile in
 * Tails' mode — unsigned description, image signature — whose official site is a loopback
 * server here, shipping the key as exported on 2020-01-01); each release is picked on the
 * verification page and the verdict the person sees is compared with `gpg --verify` at the
 * same clock. The website widget, which takes its key only from `key-url`, is driven the same
 * way on a page of that site (it needs dist/embed: the e2e build).
 *
 * How the clock is moved: the browser runs under Debian's datefudge (LD_PRELOAD, DATEFUDGE =
 * seconds to subtract; `fakedClockEnv` in harness.ts), so every process of the browser — the
 * service worker or event page that decides included — reads the wrong wall clock a person's
 * computer would have, and it runs on from there; the loopback server and the test run on the
 * real one. (libfaketime deadlocks Firefox ESR at start — mozjemalloc, libfaketime issues 130
 * and 373 — datefudge does not.)
 *
 * Needs GnuPG and datefudge; builds its own extension (about a minute) into a temporary
 * directory, leaving dist/ alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY_LIFE_TIMES as T, makeKeyLife, plusDay, type KeyLife, type ReleaseName } from '../helpers/key-life.js';
import type { Browser } from 'puppeteer-core';
import {
  launchPlain,
  launchWithExtension,
  waitForVerdict,
  type BrowserName,
  type ExtensionBrowser,
} from './harness.js';
import { verifyInWidget, type WidgetVerdict } from './widget.js';
import { REPO_ROOT, SCREENSHOT_DIR, screenshotPath } from './world.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-key-life-e2e-'));
let life: KeyLife;
let server: http.Server;
let extensionDir: string;
let eb: ExtensionBrowser | undefined;
let plain: Browser | undefined;
/** The loopback official site. */
let origin: string;
/** The website widget's build (the e2e build makes it). */
const EMBED_DIR = path.join(REPO_ROOT, 'dist', 'embed');

/** The official site's download page with the widget, whose key is `key`'s file. */
function widgetPage(key: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Download</title>
<script src="/embed/iso-verify-embed.js" defer></script></head><body>
<iso-verify-download product="Tails" description-url="/latest.json"
  image-signature-url="/torrents/files/{file}.sig" key-url="/${key}.key" fingerprints="${life.fpr.P}"
  image-pattern="^tails-amd64-(?&lt;version&gt;[0-9][0-9a-z.~+-]*)\\.(?&lt;type&gt;img|iso)$"></iso-verify-download>
</body></html>`;
}

/** What the loopback "official site" serves: the current release, and whether the key file is reachable. */
const site: { release: ReleaseName; online: boolean; keyRequests: number } = {
  release: 'r1',
  online: false,
  keyRequests: 0,
};

function serve(request: http.IncomingMessage, response: http.ServerResponse): void {
  const r = life.releases[site.release];
  const url = request.url ?? '/';
  if (url === '/signing.key') {
    site.keyRequests++;
    // Offline: the connection fails, as without a network.
    if (!site.online) return void request.socket.destroy();
    return void response.writeHead(200, { 'content-type': 'application/pgp-keys' }).end(life.finalKey);
  }
  if (url === '/latest.json') return void response.writeHead(200).end(r.descriptionText);
  // The website widget: its key comes only from key-url.
  if (url === '/shipped.key') return void response.writeHead(200).end(life.shippedKey);
  if (url === '/extended-only.key') return void response.writeHead(200).end(life.extendedOnlyKey);
  const widgetKey = /^\/widget\.html\?key=(shipped|extended-only)$/.exec(url)?.[1];
  if (widgetKey) {
    return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(widgetPage(widgetKey));
  }
  const embedFile = /^\/embed\/([A-Za-z0-9_-]+\.js)$/.exec(url)?.[1];
  if (embedFile && existsSync(path.join(EMBED_DIR, embedFile))) {
    return void response
      .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      .end(readFileSync(path.join(EMBED_DIR, embedFile)));
  }
  if (url === `/torrents/files/${r.imageName}.sig`) return void response.writeHead(200).end(r.sig);
  response.writeHead(404).end();
}

/** webpack's extension build for `profileFile` into `outDir` (chrome/ and firefox/). */
function buildExtension(profileFile: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      [
        'webpack',
        '--mode',
        'production',
        '--config-name',
        'extension',
        '--env',
        `profile=${profileFile}`,
        '--output-path',
        outDir,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`webpack exited ${code}:\n${output.slice(-3000)}`)),
    );
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(EMBED_DIR, 'iso-verify-embed.js'))) {
    throw new Error('dist/embed is missing: run npx webpack --mode production --env profile=demo');
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  life = await makeKeyLife(path.join(tmp, 'releases'));
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profileDir = path.join(tmp, 'profile');
  const profileFile = path.join(profileDir, 'keylife.json');
  mkdirSync(profileDir, { recursive: true });
  writeFileSync(path.join(profileDir, 'shipped.asc'), life.shippedKey);
  writeFileSync(
    profileFile,
    JSON.stringify({
      id: 'keylife',
      product: 'Tails',
      officialSite: origin,
      channel: 'stable',
      architecture: 'amd64',
      descriptionUrl: `${origin}/latest.json`,
      imageSignatureUrl: `${origin}/torrents/files/{file}.sig`,
      keyUrl: `${origin}/signing.key`,
      pinnedFingerprints: [life.fpr.P],
      signingKeyFile: 'shipped.asc',
      imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
      maxDescriptionAgeDays: 0,
      rebuilders: [],
      reproThreshold: 1,
    }),
  );
  extensionDir = path.join(tmp, 'dist');
  await buildExtension(profileFile, extensionDir);
}, 300_000);
afterEach(async () => {
  await eb?.close();
  eb = undefined;
  await plain?.close();
  plain = undefined;
  Object.assign(site, { release: 'r1', online: false, keyRequests: 0 });
});
afterAll(async () => {
  await eb?.close();
  await new Promise((resolve) => server?.close(resolve));
  await life?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** `name` with the extension and its clock at `clock`. */
async function extensionAt(name: BrowserName, clock: Date): Promise<ExtensionBrowser> {
  eb = await launchWithExtension(name, {
    extensionDir: path.join(extensionDir, name === 'chromium' ? 'chrome' : 'firefox'),
    clock,
  });
  return eb;
}

interface Seen {
  kind: string;
  text: string;
  /** The browser's own clock when the page showed it. */
  pageClock: string;
}

/** Pick `release`'s image on the verification page; the verdict and its words as the person sees them. */
async function pick(browser: ExtensionBrowser, release: ReleaseName, shot: string): Promise<Seen> {
  site.release = release;
  const page = await browser.openExtensionPage('verify.html');
  const input = await page.waitForSelector('input[type="file"]', { timeout: 30_000 });
  await input!.uploadFile(life.releases[release].image);
  const kind = await waitForVerdict(page, { timeoutMs: 60_000 });
  const text = await page.$eval('[data-testid="verdict"]', (el) => (el as HTMLElement).innerText);
  const pageClock = await page.evaluate(() => new Date().toISOString());
  await page.screenshot({ path: screenshotPath(browser.name, `key-life-${shot}`) });
  await page.close();
  return { kind, text, pageClock };
}

/** The website widget alone (no extension), its clock at `clock`, the key from `key`'s file: `release` picked. */
async function widgetAt(
  name: BrowserName,
  clock: Date,
  key: 'shipped' | 'extended-only',
  release: ReleaseName,
  shot: string,
): Promise<WidgetVerdict & { pageClock: string }> {
  site.release = release;
  plain = await launchPlain(name, { clock });
  const page = await plain.newPage();
  await page.goto(`${origin}/widget.html?key=${key}`, { waitUntil: 'load' });
  const seen = await verifyInWidget(page, life.releases[release].image);
  const pageClock = await page.evaluate(() => new Date().toISOString());
  await page.screenshot({ path: screenshotPath(name, `key-life-widget-${shot}`) });
  return { ...seen, pageClock };
}

describe.each<BrowserName>(['chromium', 'firefox'])(
  "the key's life in %s with its clock moved (datefudge), compared with gpg --verify",
  (name) => {
    it('r1 (S1, 2020-03-01), shipped key, clock at signing + 1 day: verified; GnuPG GOODSIG', async () => {
      const clock = plusDay(T.r1);
      const seen = await pick(await extensionAt(name, clock), 'r1', 'r1-signing-day');
      expect(seen.pageClock.slice(0, 10), 'the browser runs on the moved clock').toBe('2020-03-02');
      expect(seen.kind, seen.text).toBe('verified');
      expect(seen.text).not.toMatch(/clock/i);
      expect(await life.gpgSays('r1', life.shippedKey, clock)).toBe('GOODSIG');
    });

    it("r1, clock at 2027-06-01 (past the key's end): verified, the clock named with both dates; GnuPG EXPKEYSIG", async () => {
      const seen = await pick(await extensionAt(name, T.future), 'r1', 'r1-clock-past-key');
      expect(seen.pageClock.slice(0, 10)).toBe('2027-06-01');
      expect(seen.kind, seen.text).toBe('verified');
      expect(seen.text).toContain('clock shows a date after the end of the signing key');
      expect(seen.text).toMatch(/This computer's date: .*2027.*can sign until: .*2021/s);
      expect(seen.text).not.toMatch(/expires soon/i);
      expect(await life.gpgSays('r1', life.shippedKey, T.future)).toBe('EXPKEYSIG');
    });

    it('r1, clock at 2019-01-01 (years behind): could not verify, "the clock is wrong" with both dates (never red); GnuPG ERRSIG', async () => {
      const seen = await pick(await extensionAt(name, T.behind), 'r1', 'r1-clock-behind');
      expect(seen.pageClock.slice(0, 10)).toBe('2019-01-01');
      expect(seen.kind, seen.text).toBe('unverifiable');
      expect(seen.text).toContain("this computer's clock is wrong");
      expect(seen.text).toMatch(/This computer's date: .*2019.*signed on: .*2020/s);
      expect(await life.gpgSays('r1', life.shippedKey, T.behind)).toBe('ERRSIG');
    });

    it('r1, clock at 2020-12-01 (a month before the shipped copy ends): offline "connect so it can be refreshed", never "update"; refreshed, no warning', async () => {
      const clock = new Date('2020-12-01T00:00:00Z');
      const browser = await extensionAt(name, clock);
      const offline = await pick(browser, 'r1', 'r1-not-refreshed');
      expect(offline.kind, offline.text).toBe('verified');
      expect(offline.text).toContain('could not be refreshed: connect to the internet');
      expect(offline.text).not.toMatch(/update ISO Verify/);
      site.online = true;
      const refreshed = await pick(browser, 'r1', 'r1-refreshed');
      expect(refreshed.kind, refreshed.text).toBe('verified');
      expect(refreshed.text).not.toMatch(/refresh|stops signing|expires/i);
      expect(await life.gpgSays('r1', life.shippedKey, clock)).toBe('GOODSIG');
    });

    it('r2 (S1 after the shipped copy\'s end): offline "a newer key"; refreshed, verified; then offline again the kept key verifies; GnuPG EXPKEYSIG / REVKEYSIG', async () => {
      const clock = plusDay(T.r2);
      const browser = await extensionAt(name, clock);
      const offline = await pick(browser, 'r2', 'r2-offline');
      expect(offline.kind, offline.text).toBe('unverifiable');
      expect(offline.text).toContain('most likely a newer key');
      site.online = true;
      const online = await pick(browser, 'r2', 'r2-refreshed');
      expect(online.kind, online.text).toBe('verified');
      site.online = false;
      const kept = await pick(browser, 'r2', 'r2-kept-offline');
      expect(kept.kind, `the refreshed key is kept: ${kept.text}`).toBe('verified');
      expect(await browser.storage('signingKeys')).toBeDefined();
      expect(await life.gpgSays('r2', life.shippedKey, clock)).toBe('EXPKEYSIG');
      expect(await life.gpgSays('r2', life.finalKey, clock)).toBe('REVKEYSIG');
    });

    it('r3 (S2, a subkey the shipped copy does not know): offline "a newer Tails key", with what to do; online the refresh is merged and it verifies', async () => {
      const clock = plusDay(T.r3);
      const browser = await extensionAt(name, clock);
      site.online = false;
      const offline = await pick(browser, 'r3', 'r3-offline');
      expect(offline.kind, offline.text).toBe('unverifiable');
      expect(offline.text).toContain('most likely a newer key');
      expect(offline.text).toContain('so that ISO Verify can refresh the key');
      expect(site.keyRequests, 'the refresh was tried').toBeGreaterThan(0);
      expect(await life.gpgSays('r3', life.shippedKey, clock)).toBe('ERRSIG');
      site.online = true;
      const online = await pick(browser, 'r3', 'r3-refreshed');
      expect(online.kind, online.text).toBe('verified');
      expect(await browser.storage('signingKeys')).toBeDefined();
      expect(await life.gpgSays('r3', life.finalKey, clock)).toBe('GOODSIG');
    });

    it('r4 (S1 after it was retired), refreshed: could not verify, the key is revoked (never red); GnuPG REVKEYSIG', async () => {
      const clock = plusDay(T.r4);
      site.online = true;
      const seen = await pick(await extensionAt(name, clock), 'r4', 'r4-retired');
      expect(seen.kind, seen.text).toBe('unverifiable');
      expect(seen.text).toContain('revoked');
      expect(await life.gpgSays('r4', life.finalKey, clock)).toBe('REVKEYSIG');
    });

    it('r5 (a new primary key certified by the old one): never trusted, "install a new version of ISO Verify"; GnuPG GOODSIG (it trusts its keyring)', async () => {
      const clock = plusDay(T.r5);
      site.online = true;
      const seen = await pick(await extensionAt(name, clock), 'r5', 'r5-transition');
      expect(seen.kind, seen.text).toBe('unverifiable');
      expect(seen.text).toContain('new primary key of the project');
      expect(seen.text).toContain('install a new version of ISO Verify');
      expect(await life.gpgSays('r5', life.finalKey, clock)).toBe('GOODSIG');
    });

    it("the widget with GnuPG's export after --quick-set-expire only, r1 at 2021-03-02: verified; GnuPG GOODSIG", async () => {
      const clock = new Date('2021-03-02T00:00:00Z');
      const seen = await widgetAt(name, clock, 'extended-only', 'r1', 'extended-only');
      expect(seen.pageClock.slice(0, 10)).toBe('2021-03-02');
      expect(seen.kind, seen.text).toBe('verified');
      expect(seen.text).not.toMatch(/had expired/i);
      expect(await life.gpgSays('r1', life.extendedOnlyKey, clock)).toBe('GOODSIG');
    });

    it('the widget, r1, clock at 2019-01-01: could not verify, "the clock is wrong" (never red); GnuPG ERRSIG', async () => {
      const seen = await widgetAt(name, T.behind, 'shipped', 'r1', 'clock-behind');
      expect(seen.pageClock.slice(0, 10)).toBe('2019-01-01');
      expect(seen.kind, seen.text).toBe('unverifiable');
      expect(seen.text).toContain("this computer's clock is wrong");
      expect(await life.gpgSays('r1', life.shippedKey, T.behind)).toBe('ERRSIG');
    });
  },
);
