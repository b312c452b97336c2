/**
 * The harness itself, with a tiny probe extension (test/e2e/fixtures/probe-extension): it loads
 * in both browsers, its background runs, its pages open at the predicted extension URL, a
 * download from the demo mirror lands in the download directory and the extension sees it, and
 * Chromium's file-access switch really changes what the extension may read.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIREFOX_UUID, launchWithExtension, waitForVerdict, type BrowserName } from './harness.js';
import { screenshotPath, startDemoWorld, type DemoWorld } from './world.js';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'probe-extension');

let world: DemoWorld;
beforeAll(async () => {
  world = await startDemoWorld();
});
afterAll(async () => {
  await world?.close();
});

interface ProbeFacts {
  probe?: { startedAt: number };
  fileAccess: boolean | null;
  hostAccess: boolean;
  completed?: { url: string; filename: string; bytes: number }[];
}

describe.each(['chromium', 'firefox'] as BrowserName[])('harness in %s', (name) => {
  it('loads an extension, opens its pages, downloads, and reads its storage', async () => {
    const eb = await launchWithExtension(name, { extensionDir: PROBE, storagePage: 'page.html' });
    try {
      if (name === 'chromium') expect(eb.extensionBaseUrl).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
      else expect(eb.extensionBaseUrl).toBe(`moz-extension://${DEFAULT_FIREFOX_UUID}/`);

      const page = await eb.openExtensionPage('page.html');
      expect(await waitForVerdict(page, { timeoutMs: 20_000 })).toBe('verified');
      const facts = (await page.evaluate(
        () => (window as unknown as { probeFacts: unknown }).probeFacts,
      )) as ProbeFacts;
      expect(facts.hostAccess).toBe(true);
      if (name === 'chromium') expect(facts.fileAccess).toBe(true);

      const image = world.release.images.find((i) => i.version === world.release.current && i.type === 'img')!;
      const url = world.mirrorUrlFor('good', image);
      await eb.download(url);
      const file = await eb.waitForFile(image.name, { size: image.size, timeoutMs: 120_000 });
      expect(path.dirname(file)).toBe(eb.downloadDir);
      // The background saw the download finish (storage written by the extension, read by the harness).
      let completed: ProbeFacts['completed'];
      for (let i = 0; i < 40 && !completed?.length; i++) {
        completed = await eb.storage<ProbeFacts['completed']>('completed');
        if (!completed?.length) await new Promise((r) => setTimeout(r, 250));
      }
      expect(completed?.[0]?.url).toBe(url);
      expect(completed?.[0]?.filename).toBe(file);
      await page.screenshot({ path: screenshotPath(name, 'harness-probe') });

      if (name === 'chromium') {
        await eb.setFileAccess(false);
        const again = await eb.openExtensionPage('page.html');
        await waitForVerdict(again, { timeoutMs: 20_000 });
        const after = (await again.evaluate(
          () => (window as unknown as { probeFacts: unknown }).probeFacts,
        )) as ProbeFacts;
        expect(after.fileAccess).toBe(false);
      }
    } finally {
      await eb.close();
    }
  });
});
