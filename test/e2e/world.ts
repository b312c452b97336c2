/**
 * The demo world the e2e tests run against: the demo release plus the official site and the
 * mirror on the fixed ports the demo-profile build pins (8470, 8471). Also where artifacts go.
 *
 * On a shared development machine someone's demo servers may hold those ports: by default we
 * wait for them (E2E_PORT_WAIT_SECONDS, default 180); with E2E_REUSE_RUNNING_SERVERS=1 the
 * running servers are used instead (they serve the same release; modes change over /__control).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemoRelease, type DemoRelease, type ReleaseImage } from '../../scripts/make-demo-release.js';
import { DEFAULT_MIRROR_PORT, startMirror, type MirrorMode } from '../servers/mirror.js';
import { DEFAULT_SITE_PORT, setSiteMode, startOfficialSite, type SiteMode } from '../servers/official-site.js';
import { startDemoRebuilders, type FakeRebuilderd, type RebuildScenario } from '../servers/rebuilderd.js';
import { startDemoReproducer } from '../servers/static-reproducer.js';

/**
 * The demo profile's three rebuilders (8481–8483): two reproduce, one has not built yet. Its
 * static reproducer (reproducer-d, :8484/attestations) has reproduced the current images too.
 */
export const DEFAULT_REBUILD_SCENARIOS: [RebuildScenario, RebuildScenario, RebuildScenario] = [
  'good',
  'good',
  'pending',
];

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

/** The demo-profile builds the end-to-end tests load (`npx webpack --mode production --env profile=demo`). */
export const DEMO_EXTENSION_DIRS: Readonly<Record<'chromium' | 'firefox', string>> = {
  chromium: path.join(REPO_ROOT, 'dist', 'chrome'),
  firefox: path.join(REPO_ROOT, 'dist', 'firefox'),
};

/** Fail with one clear line when a demo build the tests need is missing. */
export function requireDemoBuilds(dirs: readonly string[] = Object.values(DEMO_EXTENSION_DIRS)): void {
  for (const dir of dirs) {
    if (!existsSync(path.join(dir, 'manifest.json')))
      throw new Error(`${dir} is missing: build first with npx webpack --mode production --env profile=demo`);
  }
}

export interface DemoWorld {
  release: DemoRelease;
  siteUrl: string;
  mirrorUrl: string;
  /** The current release's image of `type` (or of `version`). */
  image(type: 'img' | 'iso', version?: string): ReleaseImage;
  /** Where `image` is on the mirror prefix `mode`. */
  mirrorUrlFor(mode: MirrorMode, image: ReleaseImage): string;
  setSiteMode(change: Partial<SiteMode> | 'reset'): Promise<SiteMode>;
  /** "The network" to the mirror server: down after an /outage/ drop, up again when switched. */
  setMirrorNetwork(up: boolean): Promise<void>;
  /** Restart the three fake rebuilders with what each knows about the current images. */
  setRebuilders(scenarios: [RebuildScenario, RebuildScenario, RebuildScenario]): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoWorld(options: { verbose?: boolean } = {}): Promise<DemoWorld> {
  const log =
    options.verbose || process.env.E2E_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const release = await makeDemoRelease({ log: (line) => process.stderr.write(`[demo-release] ${line}\n`) });
  await mkdir(SCREENSHOT_DIR, { recursive: true });

  const closers: (() => Promise<void>)[] = [];
  let siteUrl = `http://127.0.0.1:${DEFAULT_SITE_PORT}`;
  let mirrorUrl = `http://127.0.0.1:${DEFAULT_MIRROR_PORT}`;
  if (process.env.E2E_REUSE_RUNNING_SERVERS === '1' && (await isRunning(siteUrl)) && (await isRunning(mirrorUrl))) {
    process.stderr.write(`e2e: reusing the demo servers already running on ${siteUrl} and ${mirrorUrl}\n`);
  } else {
    const waitMs = Number(process.env.E2E_PORT_WAIT_SECONDS ?? 180) * 1000;
    const mirror = await retryWhileBusy(() => startMirror({ release, ...(log ? { log } : {}) }), waitMs);
    closers.push(() => mirror.close());
    try {
      const site = await retryWhileBusy(
        () => startOfficialSite({ release, mirrors: mirror.prefixes, ...(log ? { log } : {}) }),
        waitMs,
      );
      closers.push(() => site.close());
      siteUrl = site.url;
      mirrorUrl = mirror.url;
    } catch (error) {
      await mirror.close();
      throw error;
    }
  }
  await setSiteMode(siteUrl, 'reset');

  // Attestations are signed by Debian's in-toto-run for the current release's images.
  const current = release.images
    .filter((i) => i.version === release.current)
    .map((i) => ({ fileName: i.name, filePath: i.file }));
  let rebuilders: FakeRebuilderd[] = [];
  let rebuildScenarios = '';
  const setRebuilders = async (scenarios: [RebuildScenario, RebuildScenario, RebuildScenario]): Promise<void> => {
    if (scenarios.join() === rebuildScenarios) return;
    await Promise.all(rebuilders.map((r) => r.close()));
    rebuilders = [];
    rebuilders = await startDemoRebuilders({ images: current, scenarios });
    rebuildScenarios = scenarios.join();
  };
  await setRebuilders(DEFAULT_REBUILD_SCENARIOS);
  closers.push(async () => {
    await Promise.all(rebuilders.map((r) => r.close()));
  });
  const reproduced = release.images
    .filter((i) => i.version === release.current)
    .map((i) => ({ fileName: i.name, filePath: i.file, product: 'Tails', version: i.version }));
  const reproducer = await retryWhileBusy(() => startDemoReproducer({ images: reproduced }), 30_000);
  closers.push(() => reproducer.close());

  return {
    release,
    siteUrl,
    mirrorUrl,
    image(type, version = release.current) {
      const found = release.images.find((i) => i.type === type && i.version === version);
      if (!found) throw new Error(`no ${type} image for ${version}`);
      return found;
    },
    mirrorUrlFor(mode, image) {
      return `${mirrorUrl}/${mode}/tails/${image.mirrorPath}`;
    },
    setSiteMode: (change) => setSiteMode(siteUrl, change),
    async setMirrorNetwork(up) {
      const response = await fetch(`${mirrorUrl}/__control`, {
        method: 'POST',
        body: JSON.stringify({ network: up ? 'up' : 'down' }),
      });
      if (!response.ok) throw new Error(`mirror control: ${response.status}`);
    },
    setRebuilders,
    async close() {
      await setSiteMode(siteUrl, 'reset').catch(() => undefined);
      await Promise.all(closers.map((close) => close()));
    },
  };
}

async function isRunning(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function retryWhileBusy<T>(start: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!/already in use/.test(String(error)) || Date.now() > deadline) throw error;
      if (!told) process.stderr.write(`${String(error).replace(/^Error: /, '')}; waiting up to ${waitMs / 1000}s\n`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

export function screenshotPath(browser: string, name: string): string {
  return path.join(SCREENSHOT_DIR, `${browser}-${name}.png`);
}
