/**
 * Store screenshots (AMO and the Chrome Web Store: 1280×800 PNG) for every language in
 * store/_locales/: each is a screenshot of the real extension in that language (Firefox ESR
 * started in it), taken by test/e2e/store-screenshots.e2e.ts into artifacts/store-shots/<lang>/,
 * framed with its translated caption (store/_locales/<lang>/listing.json, screenshot_<n>).
 * Writes store/screenshots/<lang>/<n>.png.
 *
 *   npm run store:screenshots   (all of it:)
 *   flock /tmp/iso-verify-e2e.lock npx vitest run -c vitest.e2e.config.ts test/e2e/store-screenshots.e2e.ts
 *   npm run store:screenshots
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const root = resolve(import.meta.dirname, '..');
const SHOTS = ['1.png', '2.png', '3.png'];
const SIZE = { width: 1280, height: 800 };

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function frame(caption: string, lang: string, png: Buffer, dir: 'ltr' | 'rtl'): string {
  // lang: the caption's line breaks and the font for Chinese follow the language.
  return `<!doctype html><html lang="${lang.replace('_', '-')}" dir="${dir}"><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: ${SIZE.width}px; height: ${SIZE.height}px; overflow: hidden; }
    body { display: grid; grid-template-rows: auto minmax(0, 1fr); justify-items: center; background: #f1ecf7; font: 600 34px/1.3 system-ui, sans-serif; color: #2b1d3f; }
    p { margin: 36px 64px 28px; text-align: center; max-inline-size: 1100px; }
    /* The row's height is definite (grid), so a tall picture is scaled down to fit, never cut. */
    div { block-size: 100%; min-block-size: 0; inline-size: 100%; box-sizing: border-box; padding-block-end: 32px; display: flex; justify-content: center; align-items: flex-start; }
    img { max-block-size: 100%; max-inline-size: 1180px; object-fit: contain; padding: 12px; box-sizing: border-box; border-radius: 10px; box-shadow: 0 6px 28px rgba(43, 29, 63, 0.25); background: #fff; }
  </style></head><body><p>${escapeHtml(caption)}</p><div><img src="data:image/png;base64,${png.toString('base64')}"></div></body></html>`;
}

async function main(): Promise<void> {
  const languages = readdirSync(join(root, 'store/_locales')).sort();
  const missing = languages
    .flatMap((lang) => SHOTS.map((name) => join(root, 'artifacts/store-shots', lang, name)))
    .filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run test/e2e/store-screenshots.e2e.ts first`);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--no-first-run', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    defaultViewport: SIZE,
  });
  try {
    const page = await browser.newPage();
    for (const lang of languages) {
      const shots = SHOTS.map((name) => join(root, 'artifacts/store-shots', lang, name));
      const listing = JSON.parse(readFileSync(join(root, 'store/_locales', lang, 'listing.json'), 'utf8')) as Record<
        string,
        { message: string }
      >;
      const out = join(root, 'store/screenshots', lang);
      mkdirSync(out, { recursive: true });
      for (const [index, file] of shots.entries()) {
        const caption = listing[`screenshot_${index + 1}`]?.message ?? '';
        await page.setContent(
          frame(caption, lang, readFileSync(file), ['ar', 'fa', 'he'].includes(lang) ? 'rtl' : 'ltr'),
          {
            waitUntil: 'load',
          },
        );
        await page.screenshot({
          path: join(out, `${index + 1}.png`) as `${string}.png`,
          clip: { x: 0, y: 0, ...SIZE },
        });
      }
      process.stdout.write(`store/screenshots/${lang}: ${shots.length} screenshots\n`);
    }
  } finally {
    await browser.close();
  }
}

await main();
