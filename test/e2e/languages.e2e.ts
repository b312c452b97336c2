/**
 * The real extension in a browser whose interface is German (Chromium `--lang=de`; Firefox
 * `intl.locale.requested=de`): its pages take their language, direction and the locale of
 * every date and number from the messages the browser picked (`locale_tag`), never from the
 * browser's own `@@ui_locale`, so German text never carries English dates ("erstellt Dec 7,
 * 2026", issue 25). Measured: headless Chromium with `--lang=de` picks the German messages while
 * its `@@ui_locale` stays "en_US" — exactly that bug; Firefox ESR without a German language
 * pack stays English for both, consistently. Needs the demo build (`npx webpack --mode production --env profile=demo`);
 * no servers.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchWithExtension, type BrowserName } from './harness.js';
import { DEMO_EXTENSION_DIRS, requireDemoBuilds, SCREENSHOT_DIR, screenshotPath } from './world.js';

interface PageLanguage {
  lang: string;
  dir: string;
  title: string;
  localeTag: string;
  uiLocale: string;
  heading: string;
}

describe.each(['chromium', 'firefox'] as BrowserName[])('%s in German', (name) => {
  it("the verification and options pages speak the messages' language, with its dates and numbers", async () => {
    requireDemoBuilds([DEMO_EXTENSION_DIRS[name]]);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const eb = await launchWithExtension(name, { extensionDir: DEMO_EXTENSION_DIRS[name], lang: 'de' });
    try {
      for (const pagePath of ['verify.html', 'options.html']) {
        const page = await eb.openExtensionPage(pagePath);
        await page.waitForSelector('h1');
        const seen = await page.evaluate((): PageLanguage => {
          const api = globalThis as unknown as {
            chrome?: { i18n: { getMessage(key: string): string } };
            browser?: { i18n: { getMessage(key: string): string } };
          };
          const i18n = (api.browser ?? api.chrome)!.i18n;
          return {
            lang: document.documentElement.lang,
            dir: document.documentElement.dir,
            title: document.title,
            localeTag: i18n.getMessage('locale_tag'),
            uiLocale: i18n.getMessage('@@ui_locale'),
            heading: document.querySelector('h1')?.textContent ?? '',
          };
        });
        console.log(
          `${name} ${pagePath}: lang=${seen.lang} locale_tag=${seen.localeTag} @@ui_locale=${seen.uiLocale} title="${seen.title}"`,
        );
        // Whatever language the browser picked for the messages, the page's lang (and so every
        // Intl date and number, src/ui-kit/format.ts) is that language, and the direction too.
        expect(seen.lang, pagePath).toBe(seen.localeTag);
        expect(seen.dir, pagePath).toBe('ltr');
        if (seen.localeTag === 'de') {
          expect(seen.title, pagePath).toMatch(
            pagePath === 'verify.html' ? /Heruntergeladenes Image verifizieren/ : /Einstellungen/,
          );
        }
        await page.screenshot({ path: screenshotPath(name, `de-${pagePath.replace('.html', '')}`), fullPage: true });
        await page.close();
      }
      // Chromium with --lang=de picks the German messages (its own interface is German too).
      if (name === 'chromium') {
        const page = await eb.openExtensionPage('verify.html');
        await page.waitForSelector('h1');
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
        await page.close();
      }
    } finally {
      await eb.close();
    }
  });
});
