/**
 * Issue 15 end to end, in Chromium and Firefox with the demo-profile build: the demo profile
 * pins three rebuilderd instances and a STATIC reproducer (reproducer-d: signed links on a plain
 * file server at 127.0.0.1:8484/attestations, made with `iso-verify attest`'s code).
 *
 *   1. the options page lists the profile's four, lets the person add a reproducer (the same key
 *      as reproducer-d: it counts once) and require 5 of them → "not enough reproducers";
 *   2. a download of the good image: the popup's status says "not enough reproducers", lists
 *      the person's entry labelled "added by you", and the verdict stays verified;
 *   3. the same file on the verification page says the same;
 *   4. removing the entry and the threshold brings back the profile's 3 of 4 reproductions.
 *
 * Screenshots: artifacts/screenshots/<browser>-reproducers-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { verdictOf, type TrackedDownload } from '../../src/wire/download.js';
import { launchWithExtension, waitForVerdict, type BrowserName } from './harness.js';
import { REPO_ROOT, screenshotPath, DEMO_EXTENSION_DIRS } from './world.js';
import { useDemoSession } from './session.js';

const EXTENSION_DIRS = DEMO_EXTENSION_DIRS;
const REPRODUCER_D_PEM = readFileSync(path.join(REPO_ROOT, 'test/fixtures/demo-rebuilders/reproducer-d.pem'), 'utf8');
const TIMEOUT_MS = 180_000;

const session = useDemoSession();

async function shoot(page: Page, browser: BrowserName, name: string): Promise<void> {
  await page
    .screenshot({ path: screenshotPath(browser, `reproducers-${name}`), fullPage: true })
    .catch(() => undefined);
}

async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const field = await page.waitForSelector(`[data-testid="${testId}"]`);
  await field!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await field!.type(text);
}

/** The status section of `page`, details opened: its state attribute, text, and the person's rows. */
async function reproOn(
  page: Page,
): Promise<{ state: string | null; met: string | null; text: string; mine: string[] }> {
  await page.waitForSelector('[data-testid="repro"]', { timeout: 60_000 });
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="repro"]') as HTMLElement;
    for (const details of el.querySelectorAll('details')) (details as HTMLDetailsElement).open = true;
    return {
      state: el.getAttribute('data-repro-state'),
      met: el.getAttribute('data-repro-met'),
      text: el.innerText,
      mine: [...el.querySelectorAll<HTMLElement>('li[data-source="person"]')].map(
        (li) => `${li.dataset.state}: ${li.innerText.replace(/\s+/g, ' ')}`,
      ),
    };
  });
}

describe.each(['chromium', 'firefox'] as BrowserName[])("%s: static reproducers and the person's own", (name) => {
  it('add a reproducer (same key counts once), require 5 → "not enough reproducers" in the popup and the page; remove it again', async () => {
    const eb = (session.browser = await launchWithExtension(name, {
      extensionDir: EXTENSION_DIRS[name],
      fileAccess: true,
    }));

    // 1. options page
    const options = await eb.openExtensionPage('options.html', { width: 1000, height: 1400 });
    const section = await options.waitForSelector('[data-testid="reproducers"]', { timeout: 30_000 });
    expect(
      await options.$$eval('[data-testid="reproducers-profile"] li', (lis) =>
        lis.map((li) => (li as HTMLElement).innerText.split('\n')[0]),
      ),
    ).toEqual([
      expect.stringContaining('rebuilder-a'),
      expect.stringContaining('rebuilder-b'),
      expect.stringContaining('rebuilder-c'),
      expect.stringContaining('reproducer-d'),
    ]);
    await options.waitForFunction(
      () => document.querySelector('[data-testid="reproducers"]')?.getAttribute('data-distinct-keys') === '4',
    );
    await typeInto(options, 'reproducer-name', 'my copy of d');
    await typeInto(options, 'reproducer-url', 'http://127.0.0.1:8484/attestations/');
    await options.$eval(
      '[data-testid="reproducer-key"]',
      (el, pem) => {
        const area = el as HTMLTextAreaElement;
        area.value = pem as string;
        area.dispatchEvent(new Event('input', { bubbles: true }));
      },
      REPRODUCER_D_PEM,
    );
    await options.click('[data-testid="reproducer-add"]');
    await options.waitForSelector('[data-testid="reproducers-mine"] li[data-source="person"]', { timeout: 15_000 });
    expect(await options.$eval('[data-testid="reproducer-notice"]', (el) => (el as HTMLElement).innerText)).toMatch(
      /already listed: it counts once/,
    );
    expect(await section!.evaluate((el) => el.getAttribute('data-distinct-keys'))).toBe('4');
    await typeInto(options, 'reproducer-threshold', '5');
    await options.click('[data-testid="reproducer-threshold-save"]');
    await options.waitForSelector('[data-testid="reproducer-not-enough"]', { timeout: 15_000 });
    const stored = await eb.storage<{ reproducers: { name: string; baseUrl: string }[]; threshold: number }>(
      'reproducers',
    );
    expect(stored).toMatchObject({
      reproducers: [{ name: 'my copy of d', baseUrl: 'http://127.0.0.1:8484/attestations' }],
      threshold: 5,
    });
    await shoot(options, name, 'options');

    // 2. a download: the popup
    const image = session.world.image('img');
    const url = session.world.mirrorUrlFor('good', image);
    const site = await eb.openPage(`${session.world.siteUrl}/install/`);
    await site.click('[data-testid="mirror-good-img"]');
    const d = await eb.waitForDownload((x) => x.url === url || x.finalUrl === url, {
      settled: (x: TrackedDownload) => x.phase === 'done' && x.repro !== undefined,
      timeoutMs: TIMEOUT_MS,
    });
    expect(verdictOf(d)?.kind).toBe('verified');
    const repro = d.phase === 'done' ? d.repro : undefined;
    expect(repro).toMatchObject({
      threshold: 5,
      thresholdSource: 'person',
      reproducedBy: 3,
      distinctKeys: 4,
      enoughReproducers: false,
      met: false,
    });
    expect(repro!.rebuilders.map((r) => `${r.name}/${r.kind}/${r.source}/${r.state}`)).toEqual([
      'rebuilder-a/rebuilderd/profile/reproduced',
      'rebuilder-b/rebuilderd/profile/reproduced',
      'rebuilder-c/rebuilderd/profile/pending',
      'reproducer-d/static/profile/reproduced',
      'my copy of d/static/person/reproduced',
    ]);
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 900 });
    expect(await waitForVerdict(popup, { timeoutMs: 15_000 })).toBe('verified');
    const inPopup = await reproOn(popup);
    await shoot(popup, name, 'popup');
    expect(inPopup.state).toBe('not-enough');
    expect(inPopup.text).toMatch(/Not enough reproducers: 3 of 4 reproduced it, but 5 are required/);
    expect(inPopup.mine).toEqual([expect.stringMatching(/^reproduced: my copy of d added by you reproduced/)]);

    // 3. the same file on the verification page
    const onDisk = await eb.waitForFile(image.name, { timeoutMs: 60_000 });
    const page = await eb.openExtensionPage('verify.html');
    const input = await page.waitForSelector('input[type="file"]', { timeout: 30_000 });
    await input!.uploadFile(onDisk);
    expect(await waitForVerdict(page, { timeoutMs: TIMEOUT_MS })).toBe('verified');
    const onPage = await reproOn(page);
    await shoot(page, name, 'verify-page');
    expect(onPage.state).toBe('not-enough');
    expect(onPage.mine).toHaveLength(1);

    // 4. remove the entry and the person's threshold: the profile's 2 of 4 → met with 3
    await options.bringToFront();
    await options.click('[data-testid="reproducer-remove-0"]');
    await options.click('[data-testid="reproducer-threshold-default"]');
    await options.waitForFunction(
      () => !document.querySelector('[data-testid="reproducers-mine"] li[data-source="person"]'),
    );
    await options.waitForFunction(() => !document.querySelector('[data-testid="reproducer-not-enough"]'));
    expect(await eb.storage('reproducers')).toEqual({ reproducers: [] });
    const again = await eb.openExtensionPage('verify.html');
    const input2 = await again.waitForSelector('input[type="file"]', { timeout: 30_000 });
    await input2!.uploadFile(onDisk);
    expect(await waitForVerdict(again, { timeoutMs: TIMEOUT_MS })).toBe('verified');
    await again.waitForSelector('[data-testid="repro"][data-repro-state="met"]', { timeout: 60_000 });
    const met = await reproOn(again);
    await shoot(again, name, 'verify-page-met');
    expect(met.text).toMatch(/Independently reproduced by 3 of 4 rebuilders/);
    expect(met.mine).toEqual([]);
  });
});
