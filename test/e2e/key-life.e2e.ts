/**
 * The key's life in the browser (issue #19): the time-travel suite of the CLI
 * (test/unit/cli/key-life.test.ts) with the browser's own clock moved. The same GnuPG key life
 * (test/helpers/key-life.ts) is pinned into an extension built for this test (a profile in
 * Tails' mode — unsigned description, image signature — whose official site is a loopback
 * server here, shipping the key as exported on 2020-01-01); each release is picked on the
 * verification page and the verdict the person sees is compared with `gpg --verify` at the
 * same clock.
 *
 * How the clock is moved: Chromium runs under libfaketime (LD_PRELOAD, FAKETIME="@<time>"), so
 * every process of the browser — the service worker that decides included — reads the wrong
 * wall clock a person's computer would have; the loopback server and the test run on the real
 * one. Firefox ESR deadlocks at start under libfaketime (mozjemalloc; libfaketime issues 130 and
 * 373), so its verdicts at a moved clock are covered by the background's unit tests with the
 * injected clock (test/unit/background/background-verification.test.ts), not here.
 *
 * Needs GnuPG and Debian's faketime; builds its own extension (about a minute) into a
 * temporary directory, leaving dist/ alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY_LIFE_TIMES as T, makeKeyLife, plusDay, type KeyLife, type ReleaseName } from '../helpers/key-life.js';
import { launchWithExtension, waitForVerdict, type ExtensionBrowser } from './harness.js';
import { REPO_ROOT, SCREENSHOT_DIR, screenshotPath } from './world.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-key-life-e2e-'));
let life: KeyLife;
let server: http.Server;
let extensionDir: string;
let eb: ExtensionBrowser | undefined;

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
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  life = await makeKeyLife(path.join(tmp, 'releases'));
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  Object.assign(site, { release: 'r1', online: false, keyRequests: 0 });
});
afterAll(async () => {
  await eb?.close();
  await new Promise((resolve) => server?.close(resolve));
  await life?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** Chromium with its clock at `clock`. */
async function chromiumAt(clock: Date): Promise<ExtensionBrowser> {
  eb = await launchWithExtension('chromium', { extensionDir: path.join(extensionDir, 'chrome'), clock });
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
  await page.screenshot({ path: screenshotPath('chromium', `key-life-${shot}`) });
  await page.close();
  return { kind, text, pageClock };
}

describe("the key's life, Chromium with its clock moved (libfaketime), compared with gpg --verify", () => {
  it('r1 (S1, 2020-03-01), shipped key, clock at signing + 1 day: verified; GnuPG GOODSIG', async () => {
    const clock = plusDay(T.r1);
    const seen = await pick(await chromiumAt(clock), 'r1', 'r1-signing-day');
    expect(seen.pageClock.slice(0, 10), 'the browser runs on the moved clock').toBe('2020-03-02');
    expect(seen.kind, seen.text).toBe('verified');
    expect(seen.text).not.toMatch(/clock/i);
    expect(await life.gpgSays('r1', life.shippedKey, clock)).toBe('GOODSIG');
  });

  it("r1, clock at 2027-06-01 (past the key's end): verified, the clock named as the likely cause; GnuPG EXPKEYSIG", async () => {
    const seen = await pick(await chromiumAt(T.future), 'r1', 'r1-clock-past-key');
    expect(seen.pageClock.slice(0, 10)).toBe('2027-06-01');
    expect(seen.kind, seen.text).toBe('verified');
    expect(seen.text).toContain('clock shows a date after the end of the signing key');
    expect(seen.text).not.toMatch(/expires soon/i);
    expect(await life.gpgSays('r1', life.shippedKey, T.future)).toBe('EXPKEYSIG');
  });

  it('r1, clock at 2019-01-01 (years behind): could not verify, "the clock is wrong" (never red); GnuPG ERRSIG', async () => {
    const seen = await pick(await chromiumAt(T.behind), 'r1', 'r1-clock-behind');
    expect(seen.pageClock.slice(0, 10)).toBe('2019-01-01');
    expect(seen.kind, seen.text).toBe('unverifiable');
    expect(seen.text).toContain("this computer's clock is wrong");
    expect(await life.gpgSays('r1', life.shippedKey, T.behind)).toBe('ERRSIG');
  });

  it('r3 (S2, a subkey the shipped copy does not know): offline "a newer Tails key", with what to do; online the refresh is merged and it verifies', async () => {
    const clock = plusDay(T.r3);
    const browser = await chromiumAt(clock);
    site.online = false;
    const offline = await pick(browser, 'r3', 'r3-offline');
    expect(offline.kind, offline.text).toBe('unverifiable');
    expect(offline.text).toContain('most likely a newer Tails key');
    expect(offline.text).toContain('so that ISO Verify can refresh the key');
    expect(site.keyRequests, 'the refresh was tried').toBeGreaterThan(0);
    expect(await life.gpgSays('r3', life.shippedKey, clock)).toBe('ERRSIG');
    site.online = true;
    const online = await pick(browser, 'r3', 'r3-refreshed');
    expect(online.kind, online.text).toBe('verified');
    expect(await browser.storage('signingKeys')).toBeDefined();
    expect(await life.gpgSays('r3', life.finalKey, clock)).toBe('GOODSIG');
  });

  it('r5 (a new primary key certified by the old one): never trusted, "install a new version of ISO Verify"; GnuPG GOODSIG (it trusts its keyring)', async () => {
    const clock = plusDay(T.r5);
    site.online = true;
    const seen = await pick(await chromiumAt(clock), 'r5', 'r5-transition');
    expect(seen.kind, seen.text).toBe('unverifiable');
    expect(seen.text).toContain('new primary key of the project');
    expect(seen.text).toContain('install a new version of ISO Verify');
    expect(await life.gpgSays('r5', life.finalKey, clock)).toBe('GOODSIG');
  });
});
