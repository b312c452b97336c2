/**
 * The demo world the e2e tests run against: the demo release plus the official site and the
 * mirror on the fixed ports the demo-profile build pins (8470, 8471). Also where artifacts go.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemoRelease, type DemoRelease, type ReleaseImage } from '../../scripts/make-demo-release.js';
import { startMirror, type MirrorServer } from '../servers/mirror.js';
import { startOfficialSite, type OfficialSite } from '../servers/official-site.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

export interface DemoWorld {
  release: DemoRelease;
  site: OfficialSite;
  mirror: MirrorServer;
  /** The current release's image of `type`. */
  image(type: 'img' | 'iso', version?: string): ReleaseImage;
  close(): Promise<void>;
}

export async function startDemoWorld(options: { verbose?: boolean } = {}): Promise<DemoWorld> {
  const log = options.verbose || process.env.E2E_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const release = await makeDemoRelease({ log: (line) => process.stderr.write(`[demo-release] ${line}\n`) });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // The demo build pins these ports; on a shared machine someone's demo servers may hold them
  // for a while, so wait (bounded) instead of failing at once.
  const waitMs = Number(process.env.E2E_PORT_WAIT_SECONDS ?? 180) * 1000;
  const mirror = await retryWhileBusy(() => startMirror({ release, ...(log ? { log } : {}) }), waitMs);
  let site: OfficialSite;
  try {
    site = await retryWhileBusy(() => startOfficialSite({ release, mirrors: mirror.prefixes, ...(log ? { log } : {}) }), waitMs);
  } catch (error) {
    await mirror.close();
    throw error;
  }
  return {
    release,
    site,
    mirror,
    image(type, version = release.current) {
      const found = release.images.find((i) => i.type === type && i.version === version);
      if (!found) throw new Error(`no ${type} image for ${version}`);
      return found;
    },
    async close() {
      await Promise.all([site.close(), mirror.close()]);
    },
  };
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
