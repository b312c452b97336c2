/**
 * Starts the demo world on loopback: the official site (8470), the mirror (8471) and, when
 * test/servers/rebuilderd.ts provides it, fake rebuilderd instances (8481-8483) plus a static
 * reproducer (signed links on a plain file server, 8484/attestations). Builds the
 * demo release first if needed. Prints the URLs; Ctrl-C (or SIGTERM) stops everything.
 *
 * Run: npx tsx scripts/demo-servers.ts [--quiet] [--no-rebuilders]
 *        [--flow [--exit]]                      headless Chromium demo: download, verdict, screenshots
 *        [--open [--browser firefox|chromium]]  a browser window with the extension (needs $DISPLAY)
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemoRelease, type DemoRelease } from './make-demo-release.js';
import { startMirror, type MirrorServer } from '../test/servers/mirror.js';
import { startOfficialSite, type OfficialSite } from '../test/servers/official-site.js';
import { errorOf, verdictOf } from '../src/wire/download.js';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface DemoServers {
  site: OfficialSite;
  mirror: MirrorServer;
  rebuilders: { url: string; close(): Promise<void> }[];
  close(): Promise<void>;
}

/** Start site + mirror (+ fake rebuilders when available) on their fixed demo ports. */
export async function startDemoServers(
  options: { log?: (line: string) => void; verbose?: boolean; rebuilders?: boolean } = {},
): Promise<DemoServers> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const requestLog = options.verbose ? log : undefined;
  const release = await makeDemoRelease({ log: (line) => log(`[demo-release] ${line}`) });
  const mirror = await startMirror({ release, ...(requestLog ? { log: requestLog } : {}) });
  let site: OfficialSite;
  try {
    site = await startOfficialSite({ release, mirrors: mirror.prefixes, ...(requestLog ? { log: requestLog } : {}) });
  } catch (error) {
    await mirror.close();
    throw error;
  }
  const rebuilders = options.rebuilders === false ? [] : await startRebuilders(release, log);
  return {
    site,
    mirror,
    rebuilders,
    async close() {
      await Promise.all([site.close(), mirror.close(), ...rebuilders.map((r) => r.close())]);
    },
  };
}

/**
 * The fake rebuilderd is another engineer's module (test/servers/rebuilderd.ts). Its
 * `startDemoRebuilders({ images })` runs the demo profile's three rebuilders on 8481-8483 with
 * attestations over the current release's images; without it we skip with a log line.
 */
async function startRebuilders(release: DemoRelease, log: (line: string) => void): Promise<DemoServers['rebuilders']> {
  const modulePath = '../test/servers/rebuilderd.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (error) {
    log(`fake rebuilderd: skipped (test/servers/rebuilderd.ts not available: ${firstLine(error)})`);
    return [];
  }
  const start = mod.startDemoRebuilders;
  if (typeof mod.startFakeRebuilderd !== 'function' || typeof start !== 'function') {
    log('fake rebuilderd: skipped (test/servers/rebuilderd.ts exports no startFakeRebuilderd/startDemoRebuilders)');
    return [];
  }
  const current = release.images.filter((i) => i.version === release.current);
  const images = current.map((i) => ({ fileName: i.name, filePath: i.file }));
  try {
    const servers = (await (start as (o: unknown) => Promise<unknown>)({ images })) as {
      url: string;
      close(): Promise<void>;
    }[];
    const started = servers.map((s) => ({ url: s.url, close: () => s.close() }));
    const { startDemoReproducer } = await import('../test/servers/static-reproducer.js');
    const reproduced = current.map((i) => ({
      fileName: i.name,
      filePath: i.file,
      product: 'Tails',
      version: i.version,
    }));
    try {
      const reproducer = await startDemoReproducer({ images: reproduced });
      return [...started, { url: reproducer.url, close: () => reproducer.close() }];
    } catch (error) {
      log(`static reproducer: failed to start (${firstLine(error)})`);
      return started;
    }
  } catch (error) {
    log(`fake rebuilderd: failed to start (${firstLine(error)})`);
    return [];
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function printUrls(servers: DemoServers): void {
  const { site, mirror } = servers;
  const lines = [
    '',
    'ISO Verify demo servers are running:',
    `  download page     ${site.url}/install/`,
    `  description       ${site.url}/install/v2/Tails/amd64/stable/latest.json (+ .sig)`,
    `  mirror pool       ${site.url}/mirrors.json`,
    `  signing key       ${site.url}/demo-signing.key`,
    `  control           curl -X POST -d '{"descriptionSigner":"rogue"}' ${site.url}/__control   ({"reset":true} to undo)`,
    '  mirrors:',
    ...mirror.prefixes.map(
      (p) => `    ${p.mode.padEnd(Math.max(...mirror.prefixes.map((q) => q.mode.length)) + 1)} ${p.urlPrefix}`,
    ),
    ...servers.rebuilders.map((r, i) =>
      r.url.endsWith('/attestations')
        ? `  static reproducer ${r.url}/Tails/<version>/<file>.link`
        : `  rebuilder ${i + 1}       ${r.url}`,
    ),
    '',
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The headless demo: Chromium with dist/chrome downloads the good image from the download page,
 * the extension verifies it; prints the verdict and screenshots of the popup and the page.
 */
async function runHeadlessFlow(servers: DemoServers): Promise<boolean> {
  const { launchWithExtension, waitForVerdict } = await import('../test/e2e/harness.js');
  const shots = path.join(REPO_ROOT, 'artifacts', 'screenshots');
  await mkdir(shots, { recursive: true });
  const eb = await launchWithExtension('chromium', { extensionDir: path.join(REPO_ROOT, 'dist', 'chrome') });
  try {
    const image = servers.site.release.images.find(
      (i) => i.version === servers.site.release.current && i.type === 'img',
    )!;
    process.stdout.write(
      `demo: downloading ${image.name} (${image.size} bytes) in headless Chromium with the extension\n`,
    );
    const page = await eb.openPage(`${servers.site.url}/install/`);
    await page.click('[data-testid="download-img"]');
    const d = await eb.waitForDownload((x) => x.fileName === image.name, {
      timeoutMs: 180_000,
      settled: (x) => verdictOf(x) !== undefined || x.phase === 'awaiting-file' || x.phase === 'failed',
    });
    // After the click and the verdict: the page then shows what the extension said about the
    // download (the widget's line), which is what the screenshot is for.
    await page
      .waitForSelector('iso-verify-download >>> [data-testid="extension-download"]:not([data-verdict="pending"])', {
        timeout: 10_000,
      })
      .catch(() => process.stdout.write('demo: the download page did not show the verdict within 10 s\n'));
    await page.screenshot({ path: path.join(shots, 'demo-download-page.png') });
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    const shown = await waitForVerdict(popup, { timeoutMs: 15_000 }).catch(() => 'none');
    const popupShot = path.join(shots, 'demo-popup.png');
    await popup.screenshot({ path: popupShot });
    process.stdout.write(
      `demo: verdict ${verdictOf(d)?.kind ?? `none (phase ${d.phase}${errorOf(d) ? `, ${errorOf(d)?.code}` : ''})`}; the popup shows ${shown}\n` +
        `demo: screenshots ${path.join(shots, 'demo-download-page.png')} ${popupShot}\n`,
    );
    return verdictOf(d)?.kind === 'verified';
  } finally {
    await eb.close();
  }
}

/** With a display: a real browser window with the extension, at the download page. */
async function openBrowser(servers: DemoServers, name: 'firefox' | 'chromium'): Promise<void> {
  const { launchWithExtension } = await import('../test/e2e/harness.js');
  const dir = path.join(REPO_ROOT, 'dist', name === 'firefox' ? 'firefox' : 'chrome');
  const eb = await launchWithExtension(name, {
    extensionDir: dir,
    headless: false,
    downloadDir: path.join(REPO_ROOT, 'artifacts', 'demo-downloads'),
  });
  await eb.openPage(`${servers.site.url}/install/`);
  process.stdout.write(
    `demo: ${name} is open at ${servers.site.url}/install/ (downloads go to ${eb.downloadDir}); close it or press Ctrl-C to stop\n`,
  );
  eb.browser.once('disconnected', () => {
    void servers.close().then(() => process.exit(0));
  });
}

function argValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const servers = await startDemoServers({
    verbose: !process.argv.includes('--quiet'),
    rebuilders: !process.argv.includes('--no-rebuilders'),
  });
  printUrls(servers);
  let stopping = false;
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping demo servers\n');
    servers.close().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());

  if (process.argv.includes('--flow')) {
    const ok = await runHeadlessFlow(servers).catch((error: unknown) => {
      process.stderr.write(
        `demo: the headless flow failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return false;
    });
    if (process.argv.includes('--exit')) return stop(ok ? 0 : 1);
    process.stdout.write('demo: the servers keep running; press Ctrl-C to stop\n');
  } else if (process.argv.includes('--open')) {
    const name = argValue('--browser') === 'chromium' ? 'chromium' : 'firefox';
    await openBrowser(servers, name);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`demo-servers: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
