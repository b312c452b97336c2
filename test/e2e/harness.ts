/**
 * Drives Debian's Chromium and Firefox ESR with an unpacked extension loaded, through
 * puppeteer-core (which never downloads a browser).
 *
 * What works, and why it is done this way:
 * - Chromium: puppeteer's `enableExtensions: true` + `pipe: true` (adds
 *   --enable-unsafe-extension-debugging), then `browser.installExtension(dir)` = CDP
 *   Extensions.loadUnpacked. The id is derived from the directory path. Unpacked extensions get
 *   "Allow access to file URLs" by default; we set it explicitly either way through
 *   chrome://extensions' `chrome.developerPrivate.updateExtensionConfiguration({fileAccess})`
 *   (changing it reloads the extension, which Chromium then disables as an "unsupported
 *   developer extension" unless developer mode is on, so we turn developer mode on first).
 *   "Allow in Incognito" is set the same way (`incognitoAccess`; off unless asked, as in Chrome).
 *   An Incognito window is the browser's own off-the-record profile, opened with
 *   `windows.create({ incognito: true })` from an extension page; puppeteer's
 *   `createBrowserContext()` is a different, DevTools-made off-the-record profile whose
 *   downloads the extension's `downloads.search` does not list. Downloads go to `downloadDir` via puppeteer's
 *   `downloadBehavior` (CDP Browser.setDownloadBehavior).
 * - Firefox: WebDriver BiDi (`browser: 'firefox'`), `browser.installExtension(dir)` = BiDi
 *   webExtension.install (a temporary add-on). The add-on needs a gecko id, and the pref
 *   `extensions.webextensions.uuids` fixes its moz-extension:// UUID. Navigating to
 *   moz-extension:// needs `--remote-allow-system-access`; even then BiDi never reports the
 *   navigation as finished, so pages are opened by starting the navigation and polling
 *   `location.href` / `document.readyState`. Downloads are set by prefs (no prompt, fixed dir).
 */
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { errorOf, parseTrackedDownload, verdictOf, type TrackedDownload } from '../../src/wire/download.js';
import { idOfDownloadKey } from '../../src/extension/storage.js';
import { VERDICT_KINDS, type VerdictKind } from '../../src/core/verdict.js';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSER_EXECUTABLES: Record<BrowserName, string> = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
};

/** Flags for Chromium on this machine: no first-run UI, no background traffic to the closed network. */
export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
];

/**
 * Firefox language packs (langpack-<locale>@firefox-esr.mozilla.org.xpi, from Debian's
 * firefox-esr-l10n-* packages of the installed Firefox ESR version): `scripts/firefox-langpacks.sh`
 * puts them here. Without one, Firefox ignores `intl.locale.requested` and stays English.
 */
export const FIREFOX_LANGPACK_DIR =
  process.env.FIREFOX_LANGPACKS ?? path.resolve(import.meta.dirname, '../../artifacts/firefox-langpacks');

/** The language pack for an extension locale ("de", "pt_BR", "es" → es-ES), if one is there. */
export function firefoxLangpack(lang: string): { file: string; locale: string } | undefined {
  if (!existsSync(FIREFOX_LANGPACK_DIR)) return undefined;
  const wanted = lang.replace('_', '-').toLowerCase();
  const packs = readdirSync(FIREFOX_LANGPACK_DIR)
    .map((name) => ({ name, locale: /^langpack-(.+)@.*\.xpi$/.exec(name)?.[1] }))
    .filter((p): p is { name: string; locale: string } => p.locale !== undefined);
  const pack =
    packs.find((p) => p.locale.toLowerCase() === wanted) ??
    packs.find((p) => p.locale.toLowerCase().startsWith(`${wanted}-`));
  return pack ? { file: path.join(FIREFOX_LANGPACK_DIR, pack.name), locale: pack.locale } : undefined;
}

/** A fixed moz-extension:// UUID, so extension URLs are predictable in Firefox. */
export const DEFAULT_FIREFOX_UUID = '7c1d8f5e-2b6a-4e3c-9d1f-0a5b7c9e2d41';
/** Gecko id given to an extension whose manifest has none (a Firefox temporary add-on needs one for the UUID pref). */
export const FALLBACK_GECKO_ID = 'iso-verify-e2e@iso-verify.invalid';

export interface LaunchOptions {
  extensionDir: string;
  /** Where downloads land; a fresh temporary directory when absent. */
  downloadDir?: string;
  /** Default true. With false a display ($DISPLAY, e.g. Xvfb) is needed. */
  headless?: boolean;
  /** Chromium only: "Allow access to file URLs" for the extension (default true). */
  fileAccess?: boolean;
  /** Chromium only: "Allow in Incognito" for the extension (default false, as Chrome's). */
  incognitoAccess?: boolean;
  /** Firefox only: the moz-extension UUID. */
  firefoxUuid?: string;
  /** Extension page that `storage()` reads through (default popup.html). */
  storagePage?: string;
  /** Print the browser's own stdout/stderr (debugging). */
  dumpio?: boolean;
  /**
   * Firefox only: set up as Tor Browser is — permanent private browsing
   * (browser.privatebrowsing.autostart), privacy.resistFingerprinting, first-party isolation —
   * with the add-on allowed in private windows (BiDi webExtension.install
   * "moz:allowPrivateBrowsing", as a person does in about:addons).
   */
  torBrowserLike?: boolean;
  /**
   * The browser's interface language, e.g. "de" (Chromium: `--lang`; Firefox:
   * `intl.locale.requested`, which only takes effect with a language pack: the one of
   * `firefoxLangpack(lang)` is put into the profile when there is one).
   */
  lang?: string;
  /**
   * The browser's wall clock starts at this time (and runs on from there), moved the way a
   * person's wrong clock is wrong: Debian's datefudge preloaded into every browser process
   * (`fakedClockEnv`). The test and its servers stay on the real clock.
   */
  clock?: Date;
}

/**
 * How long a browser may take to start (puppeteer's default is 30 s): Firefox ESR once took
 * longer on this 2-core machine at load 8 (the e2e suite beside `stress -c 2` plus other work).
 */
const LAUNCH_TIMEOUT_MS = 120_000;

/** Debian's datefudge (package datefudge): shifts the wall clock only, never the monotonic one. */
export const DATEFUDGE = '/usr/lib/x86_64-linux-gnu/datefudge/datefudge.so';

/**
 * The environment that makes a process's wall clock read `at` now and run on from there, as
 * `datefudge <at> program` does (DATEFUDGE = the seconds to subtract). datefudge, not
 * libfaketime: Firefox ESR deadlocks at start under libfaketime (mozjemalloc reads the clock
 * while libfaketime initialises; libfaketime issues 130 and 373), and datefudge leaves the
 * monotonic clock alone, so timers and page loads behave as on a person's computer.
 */
export function fakedClockEnv(at: Date, now: number = Date.now()): Record<string, string> {
  if (!existsSync(DATEFUDGE)) throw new Error(`missing: ${DATEFUDGE} (apt-get install -y datefudge)`);
  const preload = [DATEFUDGE, process.env.LD_PRELOAD].filter(Boolean).join(':');
  return { LD_PRELOAD: preload, DATEFUDGE: String(Math.round((now - at.getTime()) / 1000)) };
}

/** A browser without any extension (the website widget alone), its clock moved when `clock` is given. */
export async function launchPlain(name: BrowserName, options: { clock?: Date } = {}): Promise<Browser> {
  const env = options.clock ? { env: { ...process.env, ...fakedClockEnv(options.clock) } } : {};
  if (name === 'chromium') {
    const args = [...CHROMIUM_FLAGS];
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    return puppeteer.launch({
      timeout: LAUNCH_TIMEOUT_MS,
      ...env,
      executablePath: BROWSER_EXECUTABLES.chromium,
      headless: true,
      pipe: true,
      args,
      defaultViewport: { width: 1000, height: 900 },
    });
  }
  return puppeteer.launch({
    timeout: LAUNCH_TIMEOUT_MS,
    ...env,
    browser: 'firefox',
    executablePath: BROWSER_EXECUTABLES.firefox,
    headless: true,
    defaultViewport: { width: 1000, height: 900 },
  });
}

/** The prefs of Tor Browser that matter to an extension (tor-browser's 000-tor-browser.js). */
export const TOR_BROWSER_PREFS: Record<string, boolean> = {
  'browser.privatebrowsing.autostart': true,
  'privacy.resistFingerprinting': true,
  'privacy.firstparty.isolate': true,
};

export interface ExtensionBrowser {
  name: BrowserName;
  browser: Browser;
  /** Chromium: the extension id; Firefox: the add-on (gecko) id. */
  extensionId: string;
  /** chrome-extension://<id>/ or moz-extension://<uuid>/ */
  extensionBaseUrl: string;
  downloadDir: string;
  /** The browser's profile directory (kept after close() with `keepProfile`, for the no-trace search). */
  profileDir: string;
  /** Open a page of the extension (e.g. "popup.html") in a new tab, loaded. */
  openExtensionPage(pagePath: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Open a web page in a new tab. */
  openPage(url: string): Promise<Page>;
  /** Start a download of `url` the way a person does: by following a link. */
  download(url: string): Promise<void>;
  /** Wait until `downloadDir/<name>` exists, complete (no .part/.crdownload) and, when given, of `size` bytes. */
  waitForFile(name: string, options?: { size?: number; timeoutMs?: number }): Promise<string>;
  /** Read extension storage (`storage.local.get(key)`), through an extension page. */
  storage<T = unknown>(key: string): Promise<T | undefined>;
  /** Read storage.session (`storage.session.get(key)`), through an extension page. */
  sessionStorage<T = unknown>(key: string | null): Promise<T | undefined>;
  /** Every tracked download in extension storage (storage.local and storage.session), parsed. */
  downloads(): Promise<TrackedDownload[]>;
  /**
   * Wait for a tracked download (storage keys 'download:<id>', src/wire/download.ts) that
   * matches and has settled: a verdict, or a phase that waits for the user.
   */
  waitForDownload(match: (d: TrackedDownload) => boolean, options?: WaitForDownloadOptions): Promise<TrackedDownload>;
  /** Set Chromium's file-access switch for the extension (reloads the extension). */
  setFileAccess(allowed: boolean): Promise<void>;
  /** Set Chromium's "Allow in Incognito" switch for the extension (reloads the extension). */
  setIncognitoAccess(allowed: boolean): Promise<void>;
  /**
   * Chromium: open `url` in a new Incognito window (the browser's own off-the-record profile,
   * as Ctrl+Shift+N), its downloads going to `downloadDir`. Opened through an extension page's
   * `windows.create({ incognito: true })`, which needs the extension allowed in Incognito.
   */
  openIncognitoPage(url: string): Promise<Page>;
  /** Quit the browser and delete its scratch directory — but the profile, with `keepProfile` (the caller deletes `profileDir`). */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

export interface WaitForDownloadOptions {
  timeoutMs?: number;
  /** When the download counts as settled (default: it has a verdict). */
  settled?: (d: TrackedDownload) => boolean;
}

export async function launchWithExtension(name: BrowserName, options: LaunchOptions): Promise<ExtensionBrowser> {
  const executable = BROWSER_EXECUTABLES[name];
  if (!existsSync(executable)) throw new Error(`missing: ${executable} (run scripts/ensure-browsers.sh)`);
  const extensionDir = path.resolve(options.extensionDir);
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) throw new Error(`no manifest.json in ${extensionDir}`);
  const scratch = await mkdtemp(path.join(os.tmpdir(), `iso-verify-e2e-${name}-`));
  const downloadDir = options.downloadDir ? path.resolve(options.downloadDir) : path.join(scratch, 'downloads');
  await mkdir(downloadDir, { recursive: true });
  const headless = options.headless ?? true;
  // E2E_DUMPIO=1: every browser's output on stderr, for debugging a run.
  const dumpio = options.dumpio ?? process.env.E2E_DUMPIO === '1';

  let browser: Browser;
  let extensionId: string;
  let extensionBaseUrl: string;
  try {
    if (name === 'chromium') {
      const args = [...CHROMIUM_FLAGS, '--window-size=1280,900'];
      if (process.getuid?.() === 0) args.push('--no-sandbox');
      if (options.lang) args.push(`--lang=${options.lang}`);
      browser = await puppeteer.launch({
        timeout: LAUNCH_TIMEOUT_MS,
        ...(options.clock ? { env: { ...process.env, ...fakedClockEnv(options.clock) } } : {}),
        executablePath: executable,
        headless,
        pipe: true,
        enableExtensions: true,
        userDataDir: path.join(scratch, 'profile'),
        downloadBehavior: { policy: 'allow', downloadPath: downloadDir },
        args,
        dumpio,
        defaultViewport: { width: 1280, height: 900 },
      });
      extensionId = await browser.installExtension(extensionDir);
      extensionBaseUrl = `chrome-extension://${extensionId}/`;
    } else {
      const { dir, geckoId } = await withGeckoId(extensionDir, scratch);
      const uuid = options.firefoxUuid ?? DEFAULT_FIREFOX_UUID;
      const langpack = options.lang ? firefoxLangpack(options.lang) : undefined;
      if (langpack) {
        // A profile-scope add-on, enabled at startup (puppeteer's prefs enable that scope).
        await mkdir(path.join(scratch, 'profile', 'extensions'), { recursive: true });
        await copyFile(langpack.file, path.join(scratch, 'profile', 'extensions', path.basename(langpack.file)));
      }
      browser = await puppeteer.launch({
        timeout: LAUNCH_TIMEOUT_MS,
        ...(options.clock ? { env: { ...process.env, ...fakedClockEnv(options.clock) } } : {}),
        browser: 'firefox',
        executablePath: executable,
        headless,
        // Our own directory (not puppeteer's temporary one), so a test can search it after the browser quit.
        userDataDir: path.join(scratch, 'profile'),
        args: ['--remote-allow-system-access'],
        dumpio,
        defaultViewport: { width: 1280, height: 900 },
        extraPrefsFirefox: {
          'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
          'browser.download.dir': downloadDir,
          'browser.download.folderList': 2,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          'browser.download.manager.showWhenStarting': false,
          'browser.download.alwaysOpenPanel': false,
          'browser.download.start_downloads_in_tmp_dir': false,
          'browser.helperApps.neverAsk.saveToDisk':
            'application/octet-stream,application/x-iso9660-image,application/x-raw-disk-image',
          // Grant MV3 host permissions at install time, as a person accepting the prompt does.
          'extensions.originControls.grantByDefault': true,
          // No add-on blocklist: with the clock moved ahead (key-life.e2e.ts, 2027-06-01) and
          // Remote Settings unreachable (as here: no network), installing the add-on never
          // answered in about half the launches on a loaded machine (seen 3 of 6); never with a
          // past clock. The blocklist only guards against add-ons Mozilla blocked.
          'extensions.blocklist.enabled': false,
          ...(options.lang ? { 'intl.locale.requested': langpack?.locale ?? options.lang } : {}),
          // Debian's language packs are unsigned (Debian installs them in the application's own
          // directory, where that is allowed); in a profile, ESR accepts them with this pref.
          ...(langpack ? { 'extensions.langpacks.signatures.required': false } : {}),
          // With dumpio, the extension's console output reaches stderr (debugging).
          ...(dumpio ? { 'devtools.console.stdout.chrome': true, 'devtools.console.stdout.content': true } : {}),
          ...(options.torBrowserLike ? TOR_BROWSER_PREFS : {}),
        },
      });
      if (options.torBrowserLike) {
        // puppeteer's installExtension cannot pass Firefox's private-browsing grant: the BiDi command itself.
        const connection = (
          browser as unknown as {
            connection: { send(method: string, params: unknown): Promise<{ result: { extension: string } }> };
          }
        ).connection;
        extensionId = (
          await connection.send('webExtension.install', {
            extensionData: { type: 'path', path: dir },
            'moz:allowPrivateBrowsing': true,
          })
        ).result.extension;
      } else {
        extensionId = await browser.installExtension(dir);
      }
      extensionBaseUrl = `moz-extension://${uuid}/`;
    }
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }

  let storagePage: Page | undefined;

  async function openExtensionPage(pagePath: string, viewport?: { width: number; height: number }): Promise<Page> {
    const url = new URL(pagePath, extensionBaseUrl).href;
    const page = await browser.newPage();
    if (viewport) await page.setViewport(viewport);
    if (name === 'chromium') {
      await gotoRetrying(page, url);
      return page;
    }
    // Firefox: see the header comment; the navigation happens, its completion is never reported.
    page.goto(url, { timeout: 5_000 }).catch(() => {});
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await page.evaluate(() => [location.href, document.readyState] as const).catch(() => undefined);
      if (state && state[0] === url && state[1] === 'complete') return page;
      if (Date.now() > deadline) throw new Error(`firefox: ${url} did not load (last state ${JSON.stringify(state)})`);
      await sleep(200);
    }
  }

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  async function download(url: string): Promise<void> {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><a id="dl" href="${url.replace(/"/g, '&quot;')}">download</a>`);
    await page.click('#dl');
  }

  async function waitForFile(fileName: string, opts: { size?: number; timeoutMs?: number } = {}): Promise<string> {
    const file = path.join(downloadDir, fileName);
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    for (;;) {
      const st = await stat(file).catch(() => undefined);
      const inProgress = existsSync(`${file}.part`) || existsSync(`${file}.crdownload`);
      if (st && !inProgress && (opts.size === undefined || st.size === opts.size)) return file;
      if (Date.now() > deadline) {
        throw new Error(
          `download ${fileName} not complete in ${downloadDir} (size ${st?.size ?? 'none'}, in progress ${inProgress})`,
        );
      }
      await sleep(250);
    }
  }

  /** Every tracked download in storage (one key each, src/extension/storage.ts; private ones in storage.session). */
  async function downloads(): Promise<TrackedDownload[]> {
    const all = {
      ...((await storage<Record<string, unknown>>(null)) ?? {}),
      ...((await sessionStorage<Record<string, unknown>>(null)) ?? {}),
    };
    return Object.entries(all)
      .filter(([key]) => idOfDownloadKey(key) !== undefined)
      .map(([, value]) => parseTrackedDownload(value))
      .filter((d): d is TrackedDownload => d !== undefined);
  }

  function storage<T>(key: string | null): Promise<T | undefined> {
    return readStorage<T>('local', key);
  }

  function sessionStorage<T>(key: string | null): Promise<T | undefined> {
    return readStorage<T>('session', key);
  }

  async function readStorage<T>(areaName: 'local' | 'session', key: string | null): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!storagePage || storagePage.isClosed())
          storagePage = await openExtensionPage(options.storagePage ?? 'popup.html');
        return (await storagePage.evaluate(
          async (k: string | null, area: 'local' | 'session') => {
            const g = globalThis as unknown as Record<string, StorageApi | undefined>;
            const api = g.browser ?? g.chrome;
            if (!api) throw new Error('not an extension page');
            const all = await api.storage[area].get(k);
            return k === null ? all : all[k];
          },
          key,
          areaName,
        )) as T | undefined;
      } catch (error) {
        // The extension reloads when its file access changes: reopen the page once or twice.
        if (attempt >= 2) throw error;
        await storagePage?.close().catch(() => {});
        storagePage = undefined;
        await sleep(500);
      }
    }
  }

  async function waitForDownload(
    match: (d: TrackedDownload) => boolean,
    opts: WaitForDownloadOptions = {},
  ): Promise<TrackedDownload> {
    const settled = opts.settled ?? ((d: TrackedDownload) => verdictOf(d) !== undefined);
    const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
    let last: TrackedDownload[] = [];
    for (;;) {
      last = await downloads();
      const found = last.find((d) => match(d) && settled(d));
      if (found) return found;
      if (Date.now() > deadline) {
        const summary = last
          .map((d) => `${d.fileName} ${d.phase} ${verdictOf(d)?.kind ?? ''} ${errorOf(d)?.code ?? ''}`)
          .join('; ');
        throw new Error(`${name}: no settled download matched in time (seen: ${summary || 'none'})`);
      }
      await sleep(500);
    }
  }

  async function setFileAccess(allowed: boolean): Promise<void> {
    await configureExtension('fileAccess', allowed);
  }

  async function setIncognitoAccess(allowed: boolean): Promise<void> {
    await configureExtension('incognitoAccess', allowed);
  }

  /** A switch of chrome://extensions' details page, set as the page does (developerPrivate). */
  async function configureExtension(key: 'fileAccess' | 'incognitoAccess', allowed: boolean): Promise<void> {
    if (name !== 'chromium') return;
    const page = await browser.newPage();
    try {
      await page.goto('chrome://extensions/', { waitUntil: 'load' });
      const changed = await page.evaluate(
        async (id: string, which: 'fileAccess' | 'incognitoAccess', want: boolean) => {
          const dev = (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome
            .developerPrivate;
          // Outside developer mode Chromium disables an unpacked extension when it reloads.
          await dev.updateProfileConfiguration({ inDeveloperMode: true });
          const info = await dev.getExtensionInfo(id);
          if (info[which].isActive === want) return false;
          await dev.updateExtensionConfiguration({ extensionId: id, [which]: want });
          return true;
        },
        extensionId,
        key,
        allowed,
      );
      if (changed) await waitForExtensionReload();
    } finally {
      await page.close().catch(() => {});
    }
  }

  async function openIncognitoPage(url: string): Promise<Page> {
    if (name !== 'chromium') throw new Error('openIncognitoPage: Chromium only');
    const opener = await openExtensionPage('options.html');
    let page: Page | null;
    try {
      const targetFound = browser.waitForTarget((t) => t.type() === 'page' && t.url() === url, { timeout: 20_000 });
      const incognito = await opener.evaluate(async (u: string) => {
        const api = (globalThis as unknown as { chrome: WindowsApi }).chrome;
        return (await api.windows.create({ incognito: true, url: u })).incognito;
      }, url);
      if (!incognito) throw new Error('chromium: the new window is not an Incognito window');
      page = await (await targetFound).page();
    } finally {
      await opener.close().catch(() => {});
    }
    if (!page) throw new Error(`chromium: no page for ${url}`);
    // Puppeteer's downloadBehavior (CDP Browser.setDownloadBehavior) covers the ordinary profile
    // only; without this, headless Chromium cancels an Incognito download (it would ask where to
    // save). Page.setDownloadBehavior applies to the page's own (off-the-record) profile.
    // The session stays attached: the behaviour ends with it.
    const cdp = await page.createCDPSession();
    await cdp.send('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir });
    await page.waitForFunction(() => document.readyState === 'complete', { timeout: 20_000 });
    return page;
  }

  /** After a configuration change Chromium reloads the extension; wait until its pages open again. */
  async function waitForExtensionReload(): Promise<void> {
    await storagePage?.close().catch(() => {});
    storagePage = undefined;
    const deadline = Date.now() + 20_000;
    for (;;) {
      await sleep(300);
      const probe = await browser.newPage();
      try {
        const response = await probe.goto(new URL('manifest.json', extensionBaseUrl).href).catch(() => null);
        if (response?.ok()) return;
      } finally {
        await probe.close().catch(() => {});
      }
      if (Date.now() > deadline) throw new Error('chromium: the extension did not come back after a reload');
    }
  }

  const handle: ExtensionBrowser = {
    name,
    browser,
    extensionId,
    extensionBaseUrl,
    downloadDir,
    profileDir: path.join(scratch, 'profile'),
    openExtensionPage,
    openPage,
    download,
    waitForFile,
    storage,
    sessionStorage,
    downloads,
    waitForDownload,
    setFileAccess,
    setIncognitoAccess,
    openIncognitoPage,
    async close(closeOptions: { keepProfile?: boolean } = {}) {
      await browser.close().catch(() => {});
      if (!closeOptions.keepProfile) {
        await rm(scratch, { recursive: true, force: true });
        return;
      }
      // Everything but the profile goes (downloads hold the image itself: not what is searched).
      await rm(downloadDir, { recursive: true, force: true });
    },
  };
  if (name === 'chromium') {
    await setFileAccess(options.fileAccess ?? true);
    await setIncognitoAccess(options.incognitoAccess ?? false);
  }
  return handle;
}

interface StorageApi {
  storage: Record<'local' | 'session', { get(key: string | null): Promise<Record<string, unknown>> }>;
}

interface DeveloperPrivate {
  getExtensionInfo(
    id: string,
  ): Promise<Record<'fileAccess' | 'incognitoAccess', { isActive: boolean; isEnabled: boolean }>>;
  updateExtensionConfiguration(update: {
    extensionId: string;
    fileAccess?: boolean;
    incognitoAccess?: boolean;
  }): Promise<void>;
  updateProfileConfiguration(update: { inDeveloperMode?: boolean }): Promise<void>;
}

interface WindowsApi {
  windows: { create(options: { incognito: boolean; url: string }): Promise<{ incognito: boolean }> };
}

/** The verdict a page renders: `data-verdict` on `[data-testid="verdict"]`, once it is a final kind. */
export async function waitForVerdict(page: Page, options: { timeoutMs?: number } = {}): Promise<VerdictKind> {
  const handle = await page.waitForFunction(
    (kinds: readonly string[]) => {
      const value = document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict');
      return value && kinds.includes(value) ? value : false;
    },
    { timeout: options.timeoutMs ?? 180_000, polling: 250 },
    VERDICT_KINDS,
  );
  return (await handle.jsonValue()) as VerdictKind;
}

/** Give the extension a gecko id when its manifest has none (copying it; the original is untouched). */
async function withGeckoId(extensionDir: string, scratch: string): Promise<{ dir: string; geckoId: string }> {
  const manifest = JSON.parse(await readFile(path.join(extensionDir, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const settings = (manifest.browser_specific_settings ?? manifest.applications) as
    { gecko?: { id?: string } } | undefined;
  const id = settings?.gecko?.id;
  if (id) return { dir: extensionDir, geckoId: id };
  const dir = path.join(scratch, 'extension');
  await cp(extensionDir, dir, { recursive: true });
  const bss = (manifest.browser_specific_settings ?? {}) as Record<string, unknown>;
  manifest.browser_specific_settings = {
    ...bss,
    gecko: { ...(bss.gecko as object | undefined), id: FALLBACK_GECKO_ID },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, geckoId: FALLBACK_GECKO_ID };
}

/** Chromium may briefly block extension URLs while the extension (re)starts. */
async function gotoRetrying(page: Page, url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.goto(url, { waitUntil: 'load' });
      return;
    } catch (error) {
      if (attempt >= 10 || !/ERR_BLOCKED_BY_CLIENT|ERR_FILE_NOT_FOUND|ERR_ABORTED/.test(String(error))) throw error;
      await sleep(300);
    }
  }
}

/**
 * The time the browser reports a download complete, seen from an extension page opened before
 * the click (`downloads.onChanged`). Firefox's DownloadItem has no `endTime`; Chromium's is used
 * when it has one.
 */
export async function watchCompletion(
  eb: ExtensionBrowser,
): Promise<{ read(): Promise<number | undefined>; close(): Promise<void> }> {
  const page = await eb.openExtensionPage('popup.html');
  await page.evaluate(() => {
    type Delta = { id: number; state?: { current?: string } };
    type Api = { downloads: { onChanged: { addListener(fn: (d: Delta) => void): void } } };
    const globals = globalThis as unknown as { browser?: Api; chrome?: Api; completedAt?: number };
    (globals.browser ?? globals.chrome)!.downloads.onChanged.addListener((delta) => {
      if (delta.state?.current === 'complete') globals.completedAt = Date.now();
    });
  });
  return {
    read: () => page.evaluate(() => (globalThis as unknown as { completedAt?: number }).completedAt),
    close: () => page.close(),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
