/**
 * The loopback official site and mirror (test/servers) with the demo release, plus a profile
 * file pointing at them (the built-in demo profile names fixed ports; tests use free ones).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDemoRelease, type DemoRelease } from '../../../scripts/make-demo-release.js';
import { startMirror, type MirrorServer } from '../../servers/mirror.js';
import { startOfficialSite, type OfficialSite } from '../../servers/official-site.js';
import { REPO } from '../cli/harness.js';

export interface MirrorFixture {
  release: DemoRelease;
  mirror: MirrorServer;
  site: OfficialSite;
  dir: string;
  profilePath: string;
  statePath: string;
  prefix(mode: string): string;
  close(): Promise<void>;
}

export async function startMirrorFixture(options: { slowBytesPerSecond?: number } = {}): Promise<MirrorFixture> {
  const release = await makeDemoRelease({ log: () => {} });
  const mirror = await startMirror({ port: 0, release, slowBytesPerSecond: options.slowBytesPerSecond ?? 64 * 1024 });
  const site = await startOfficialSite({ port: 0, release, mirrors: mirror.prefixes });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-mirror-'));
  const demo = JSON.parse(
    readFileSync(path.join(REPO, 'profiles', 'demo.json'), 'utf8').replaceAll('http://127.0.0.1:8470', site.url),
  ) as Record<string, unknown>;
  // signingKeyFile must lie inside the profile's directory.
  copyFileSync(path.join(REPO, 'profiles', 'keys', 'demo-signing.asc'), path.join(dir, 'demo-signing.asc'));
  demo.signingKeyFile = 'demo-signing.asc';
  demo.rebuilders = [];
  demo.reproThreshold = 1;
  const profilePath = path.join(dir, 'demo-loopback.json');
  writeFileSync(profilePath, JSON.stringify(demo, null, 2));
  return {
    release,
    mirror,
    site,
    dir,
    profilePath,
    statePath: path.join(dir, 'state.json'),
    prefix: (mode) => `${mirror.url}/${mode}/tails/`,
    async close() {
      await site.close();
      await mirror.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
