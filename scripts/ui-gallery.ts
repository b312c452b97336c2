/**
 * Builds the UI gallery (test/ui-gallery/index.html + gallery.js) with esbuild and screenshots
 * it in headless Chromium and Firefox into artifacts/ui-gallery/, at popup width (380 px) and
 * full-page width, light and dark. `npm run ui:gallery [-- --build-only] [-- --only=<shot>] [-- --lang=<locale>|ar-XB]`.
 * Screenshots are cropped to their content with ImageMagick when it is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const galleryDir = join(root, 'test/ui-gallery');
const outDir = join(root, 'artifacts/ui-gallery');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

interface Shot {
  shot: string;
  width: number;
  /** Window height; generous, the picture is cropped to the content afterwards. */
  height: number;
  theme?: 'light' | 'dark';
  /** A public/_locales directory name, or 'ar-XB' (the test-only right-to-left pseudo-locale). */
  lang?: string;
  browsers: ('chromium' | 'firefox')[];
}

const POPUP = 380;
/** The shipped languages other than English and German (both shot above), and the RTL pseudo-locale. */
const GALLERY_LANGUAGES = ['es', 'fr', 'it', 'pt_BR', 'ru', 'tr', 'zh_CN', 'ar-XB'].filter(
  (lang) => existsSync(join(root, 'public/_locales', lang)) || lang === 'ar-XB',
);
const PAGE = 1000;
const both = ['chromium', 'firefox'] as ('chromium' | 'firefox')[];
const SHOTS: Shot[] = [
  { shot: 'popup', width: POPUP, height: 2600, browsers: both },
  { shot: 'popup', width: POPUP, height: 2600, theme: 'dark', browsers: both },
  { shot: 'popup-open', width: POPUP, height: 5000, browsers: both },
  { shot: 'popup-open', width: POPUP, height: 5000, lang: 'de', browsers: both },
  { shot: 'popup-empty', width: POPUP, height: 500, browsers: both },
  { shot: 'popup', width: POPUP, height: 2600, lang: 'de', browsers: both },
  { shot: 'popup-action-error', width: POPUP, height: 700, browsers: ['chromium'] },
  { shot: 'verdicts', width: POPUP, height: 3200, browsers: both },
  { shot: 'verdicts', width: POPUP, height: 3200, lang: 'de', browsers: both },
  { shot: 'verdicts', width: PAGE, height: 2400, browsers: both },
  { shot: 'verdicts', width: PAGE, height: 2400, theme: 'dark', browsers: ['chromium'] },
  { shot: 'evidence', width: POPUP, height: 4200, browsers: ['chromium'] },
  { shot: 'evidence', width: PAGE, height: 3000, browsers: both },
  { shot: 'evidence', width: PAGE, height: 3000, theme: 'dark', browsers: ['chromium'] },
  { shot: 'repro', width: POPUP, height: 1600, browsers: ['chromium'] },
  { shot: 'repro', width: PAGE, height: 1300, theme: 'dark', browsers: both },
  { shot: 'verify-idle', width: PAGE, height: 700, browsers: both },
  { shot: 'verify-hashing', width: PAGE, height: 800, browsers: both },
  { shot: 'verify-done', width: PAGE, height: 1000, browsers: both },
  { shot: 'verify-done', width: PAGE, height: 1000, theme: 'dark', lang: 'de', browsers: ['chromium'] },
  { shot: 'options', width: PAGE, height: 1900, browsers: ['chromium'] },
  { shot: 'options-reproducers', width: PAGE, height: 1600, browsers: both },
  { shot: 'options-reproducers', width: PAGE, height: 1600, theme: 'dark', lang: 'de', browsers: ['chromium'] },
  { shot: 'popup-takeover', width: POPUP, height: 900, browsers: ['firefox'] },
  { shot: 'popup-takeover', width: POPUP, height: 900, lang: 'de', browsers: ['firefox'] },
  // Three downloads of one name from one mirror (issue #25): told apart by start, size, SHA-256.
  ...['en', 'de', 'ru'].map((lang): Shot => ({
    shot: 'popup-same-name',
    width: POPUP,
    height: 1400,
    lang,
    browsers: both,
  })),
  // The verification page about a tracked download: the popup's actions, at both widths.
  { shot: 'verify-short', width: PAGE, height: 900, browsers: both },
  { shot: 'verify-short', width: POPUP, height: 1400, lang: 'de', browsers: both },
  { shot: 'verify-short', width: POPUP, height: 1400, lang: 'ru', browsers: ['chromium'] },
  { shot: 'verify-offline', width: PAGE, height: 900, browsers: both },
  { shot: 'verify-offline', width: PAGE, height: 900, lang: 'de', browsers: ['chromium'] },
  { shot: 'welcome', width: PAGE, height: 500, browsers: ['chromium'] },
  { shot: 'welcome', width: PAGE, height: 500, theme: 'dark', lang: 'de', browsers: ['chromium'] },
  // Every language at popup width: long German and Russian words must wrap, Chinese must not
  // break oddly, and the right-to-left pseudo-locale must mirror the layout without breaking it.
  ...GALLERY_LANGUAGES.flatMap((lang): Shot[] => [
    { shot: 'popup-open', width: POPUP, height: 5000, lang, browsers: ['chromium'] },
    { shot: 'verdicts', width: POPUP, height: 3600, lang, browsers: ['chromium'] },
  ]),
  { shot: 'repro', width: POPUP, height: 1800, lang: 'ar-XB', browsers: both },
  { shot: 'verdicts', width: POPUP, height: 3600, lang: 'ar-XB', browsers: ['firefox'] },
  { shot: 'options-reproducers', width: PAGE, height: 1600, lang: 'ar-XB', browsers: ['chromium'] },
];

export async function buildGallery(): Promise<string> {
  await build({
    entryPoints: [join(galleryDir, 'gallery.tsx')],
    outfile: join(outDir, 'gallery.js'),
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.json': 'json' },
    logLevel: 'warning',
  });
  return join(galleryDir, 'index.html');
}

function hasImageMagick(): boolean {
  return spawnSync('convert', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Crop away the empty space below the content (the background colour of the top-left pixel). */
function cropToContent(file: string): void {
  const box = execFileSync('convert', [file, '-trim', '-format', '%h %Y', 'info:'], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map(Number);
  const [height, top] = box as [number, number];
  const width = Number(execFileSync('identify', ['-format', '%w', file], { encoding: 'utf8' }));
  if (Number.isFinite(height) && Number.isFinite(top) && height > 0) {
    execFileSync('convert', [file, '-crop', `${width}x${top + height + 16}+0+0`, '+repage', file]);
  }
}

function screenshot(
  browser: 'chromium' | 'firefox',
  url: string,
  file: string,
  width: number,
  height: number,
): boolean {
  let result;
  if (browser === 'chromium') {
    result = spawnSync(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--allow-file-access-from-files',
        '--virtual-time-budget=3000',
        `--window-size=${width},${height}`,
        `--screenshot=${file}`,
        url,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
  } else {
    // A fresh profile, so a Firefox started by someone else (e2e tests) is never touched.
    const profile = mkdtempSync(join(tmpdir(), 'ui-gallery-ff-'));
    try {
      result = spawnSync(
        FIREFOX,
        [
          '--headless',
          '--no-remote',
          '--profile',
          profile,
          '--screenshot',
          file,
          `--window-size=${width},${height}`,
          url,
        ],
        {
          encoding: 'utf8',
          timeout: 90_000,
        },
      );
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }
  if (!existsSync(file)) {
    console.error(`${browser} produced no ${file}: ${result.error ?? ''} ${result.stderr?.slice(-400) ?? ''}`);
    return false;
  }
  return true;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const page = await buildGallery();
  console.log(`built ${page}`);
  if (args.includes('--build-only')) return;
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const onlyLang = args.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  mkdirSync(outDir, { recursive: true });
  const crop = hasImageMagick();
  let failed = 0;
  for (const s of SHOTS) {
    if (only && s.shot !== only) continue;
    if (onlyLang && (s.lang ?? 'en') !== onlyLang) continue;
    const query = new URLSearchParams({ shot: s.shot, theme: s.theme ?? 'light', lang: s.lang ?? 'en' });
    const url = `${pathToFileURL(page).href}?${query}`;
    for (const browser of s.browsers) {
      const file = join(outDir, `${browser}-${s.shot}-${s.width}-${s.theme ?? 'light'}-${s.lang ?? 'en'}.png`);
      rmSync(file, { force: true });
      if (!screenshot(browser, url, file, s.width, s.height)) {
        failed += 1;
        continue;
      }
      if (crop) cropToContent(file);
      console.log(`  ${file}`);
    }
  }
  if (failed) {
    console.error(`${failed} screenshot(s) failed`);
    process.exitCode = 1;
  }
}

// Run only as a script: the layout e2e test imports buildGallery.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
