/**
 * "What Tails users see now" (issue 15): a profile that pins no rebuilder and no reproducer.
 * The extension is built here, into a temporary directory, with the demo profile minus its
 * rebuilders (the `tails` profile's situation on the demo servers). A verified image then shows
 * one line saying nobody is configured, with a link to how to reproduce and publish
 * (docs/reproduce.md, shipped as reproduce.txt), and the verdict is untouched.
 * Screenshots: artifacts/screenshots/<browser>-no-reproducer-*.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpack from 'webpack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, waitForVerdict, type BrowserName, type ExtensionBrowser } from './harness.js';
import { REPO_ROOT, screenshotPath, startDemoWorld, type DemoWorld } from './world.js';

type ConfigFactory = (env: object, argv: { mode: string }) => webpack.Configuration;

const scratch = mkdtempSync(path.join(tmpdir(), 'iso-verify-no-reproducer-'));
let world: DemoWorld;
let open: ExtensionBrowser | undefined;

beforeAll(async () => {
  const demo = JSON.parse(readFileSync(path.join(REPO_ROOT, 'profiles/demo.json'), 'utf8')) as Record<string, unknown>;
  const profileDir = path.join(scratch, 'profile');
  mkdirSync(path.join(profileDir, 'keys'), { recursive: true });
  copyFileSync(
    path.join(REPO_ROOT, 'profiles', demo.signingKeyFile as string),
    path.join(profileDir, demo.signingKeyFile as string),
  );
  const profileFile = path.join(profileDir, 'no-reproducer.json');
  writeFileSync(profileFile, JSON.stringify({ ...demo, id: 'demo-no-reproducer', rebuilders: [], reproThreshold: 1 }));
  {
    const { default: extensionConfig } = (await import(path.join(REPO_ROOT, 'build/webpack.extension.js'))) as {
      default: ConfigFactory;
    };
    const config = extensionConfig({ profile: profileFile }, { mode: 'production' });
    config.output = { ...config.output, path: scratch, clean: false };
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack(config, (e, s) => (e || !s ? reject(e) : resolve(s))),
    );
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  }
  world = await startDemoWorld();
}, 300_000);
afterEach(async () => {
  await open?.close();
  open = undefined;
});
afterAll(async () => {
  await world?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.each(['chromium', 'firefox'] as BrowserName[])('%s, a profile that pins no reproducer', (name) => {
  it('a verified image: one line "no independent reproducer is configured" with the how-to link', async () => {
    const eb = (open = await launchWithExtension(name, {
      extensionDir: path.join(scratch, name === 'chromium' ? 'chrome' : 'firefox'),
    }));
    const page = await eb.openExtensionPage('verify.html');
    const input = await page.waitForSelector('input[type="file"]', { timeout: 30_000 });
    await input!.uploadFile(world.image('img').file);
    expect(await waitForVerdict(page, { timeoutMs: 180_000 })).toBe('verified');
    const repro = await page.waitForSelector('[data-testid="repro"][data-repro-state="none"]', { timeout: 60_000 });
    const shown = await repro!.evaluate((el) => ({
      text: (el as HTMLElement).innerText.trim(),
      lines: (el as HTMLElement).querySelectorAll('p').length,
      href: (el.querySelector('[data-testid="repro-howto"]') as HTMLAnchorElement | null)?.href,
    }));
    await page.screenshot({ path: screenshotPath(name, 'no-reproducer-verify-page') });
    expect(shown.text).toBe(
      'No independent reproducer is configured for this release. How to reproduce it and publish an attestation',
    );
    expect(shown.lines).toBe(1);
    expect(shown.href).toBe(`${eb.extensionBaseUrl}reproduce.txt`);
    // The link opens the guide shipped inside the extension.
    const doc = await eb.openExtensionPage('reproduce.txt');
    expect(await doc.evaluate(() => document.body.innerText)).toContain(
      '# Reproduce a release and publish an attestation',
    );
  });
});
