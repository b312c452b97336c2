/**
 * The pictures of the store listings (store/README.md), in every language of store/_locales:
 * Firefox ESR started in that language (its language pack, scripts/firefox-langpacks.sh), so
 * the extension speaks it as it does for a person whose Firefox is in that language.
 *
 *   1. the popup after a download from the official page's link was verified;
 *   2. the widget on the official page (its `lang` set to the language, as tails.net's
 *      translated pages do) after it verified the same file through the extension — the widget
 *      alone, since the demo page around it is in English;
 *   3. the settings page in a Tor-Browser-like Firefox (permanent private browsing), where it
 *      says that downloads of private windows are verified and nothing about them is kept.
 *
 * Each step checks what the picture shows (the verdict, the language of the page) before
 * taking it, into artifacts/store-shots/<lang>/<n>.png; `npm run store:screenshots` then frames
 * them with the listing's captions. Needs the demo build and the language packs.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../src/wire/download.js';
import {
  FIREFOX_LANGPACK_DIR,
  firefoxLangpack,
  launchWithExtension,
  waitForVerdict,
  type ExtensionBrowser,
} from './harness.js';
import { DEMO_EXTENSION_DIRS, REPO_ROOT } from './world.js';
import { useDemoSession } from './session.js';

const VERDICT_TIMEOUT_MS = 240_000;
const SHOTS_DIR = path.join(REPO_ROOT, 'artifacts', 'store-shots');
const LANGUAGES = readdirSync(path.join(REPO_ROOT, 'store', '_locales')).sort();
const WIDGET = 'iso-verify-download';

const session = useDemoSession({
  reset: async (world) => {
    await world.setSiteMode('reset');
  },
});

async function launch(lang: string, torBrowserLike = false): Promise<ExtensionBrowser> {
  if (lang !== 'en' && !firefoxLangpack(lang)) {
    throw new Error(
      `no Firefox language pack for ${lang} in ${FIREFOX_LANGPACK_DIR}: run scripts/firefox-langpacks.sh`,
    );
  }
  return (session.browser = await launchWithExtension('firefox', {
    extensionDir: DEMO_EXTENSION_DIRS.firefox,
    ...(lang === 'en' ? {} : { lang }),
    torBrowserLike,
  }));
}

/**
 * A picture of the elements `selectors` (in the light DOM) and the space around them, padded by
 * `pad` pixels: the viewport is made as tall as the page first, so every box is measured from
 * the top of the page and the picture needs no scrolling.
 */
async function shootAround(page: Page, selectors: string[], file: string, pad = 16): Promise<void> {
  const width = page.viewport()?.width ?? 1280;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewport({ width, height: Math.max(height, 400) });
  await page.evaluate(() => window.scrollTo(0, 0));
  const boxes = [];
  for (const selector of selectors) {
    const element = (await page.waitForSelector(selector, { timeout: 20_000 }))!;
    boxes.push((await element.boundingBox())!);
  }
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.min(width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + pad;
  await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
}

/** The language the page is shown in: its <html lang> (the messages' locale_tag). */
async function pageLanguage(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

describe.each(LANGUAGES)('store screenshots in %s', (lang) => {
  const tag = lang.replace('_', '-');
  const out = path.join(SHOTS_DIR, lang);

  it('the popup with the verified download and the widget that verified it, in this language', async () => {
    mkdirSync(out, { recursive: true });
    const eb = await launch(lang);
    const image = session.world.image('img');
    const url = session.world.mirrorUrlFor('good', image);
    const page = await eb.openPage(`${session.world.siteUrl}/install/`);
    await page.click('[data-testid="mirror-good-img"]');
    const download = await eb.waitForDownload((d) => d.url === url || d.finalUrl === url, {
      timeoutMs: VERDICT_TIMEOUT_MS,
    });
    expect(verdictOf(download)?.kind).toBe('verified');

    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    expect(await waitForVerdict(popup, { timeoutMs: 15_000 })).toBe('verified');
    expect(await pageLanguage(popup)).toBe(tag);
    await popup.screenshot({ path: path.join(out, '1.png') });

    const file = await eb.waitForFile(image.name, { timeoutMs: 60_000 });
    const site = await eb.openPage(`${session.world.siteUrl}/install/`);
    const widget = (await site.waitForSelector(WIDGET, { timeout: 20_000 }))!;
    await widget.evaluate((el, language) => el.setAttribute('lang', language), tag);
    // The new lang renders a fresh widget once its language is loaded: only then choose the file.
    await site.waitForFunction(
      (language: string) =>
        document.querySelector('iso-verify-download')?.shadowRoot?.querySelector('[lang]')?.getAttribute('lang') ===
        language,
      { timeout: 20_000, polling: 100 },
      tag,
    );
    const input = await site.waitForSelector(`${WIDGET} >>> input[type="file"]`);
    await input!.uploadFile(file);
    const seen = await site.waitForFunction(
      () => {
        const root = document.querySelector('iso-verify-download')?.shadowRoot;
        const verdict = root?.querySelector('[data-testid="verdict"]');
        if (!verdict) return false;
        return {
          kind: verdict.getAttribute('data-verdict'),
          byExtension: root!.querySelector('[data-testid="checked-by-extension"]') !== null,
          lang: root!.querySelector('[lang]')?.getAttribute('lang'),
        };
      },
      { timeout: VERDICT_TIMEOUT_MS, polling: 250 },
    );
    expect(await seen.jsonValue()).toEqual({ kind: 'verified', byExtension: true, lang: tag });
    // The widget alone: the demo page around it is English, a translated tails.net page is not.
    await widget.evaluate((el) => el.scrollIntoView());
    await widget.screenshot({ path: path.join(out, '2.png') });
  });

  it('the settings page of a Tor-Browser-like Firefox: private windows verified, nothing kept, in this language', async () => {
    mkdirSync(out, { recursive: true });
    const eb = await launch(lang, true);
    // The window's own first tab: in this set-up, opening a new one (BiDi browsingContext.create)
    // right after the start sometimes never answered (twice in 18 runs, 180 s protocol timeout).
    const options = (await eb.browser.pages())[0]!;
    await options.setViewport({ width: 900, height: 1400 });
    const url = new URL('options.html', eb.extensionBaseUrl).href;
    options.goto(url, { timeout: 5_000 }).catch(() => {}); // BiDi never reports moz-extension loads (harness.ts)
    for (const deadline = Date.now() + 30_000; ;) {
      const state = await options.evaluate(() => [location.href, document.readyState]).catch(() => undefined);
      if (state?.[0] === url && state[1] === 'complete') break;
      if (Date.now() > deadline) throw new Error(`${url} did not load (last state ${JSON.stringify(state)})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await options.waitForSelector('[data-testid="private-windows"][data-allowed="true"]', { timeout: 20_000 });
    expect(await pageLanguage(options)).toBe(tag);
    await shootAround(options, ['[data-testid="private-windows"]', '[data-testid="history"]'], path.join(out, '3.png'));
  });
});
