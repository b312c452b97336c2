// Writes one manifest.json per browser from the base manifest.json at the repository root,
// the package version and the profile the build was made for.
//
// Permissions, and why each is needed (keep this table in sync with the code):
//
// | permission                   | browser | why |
// | ---------------------------- | ------- | --- |
// | downloads                    | both    | see downloads start/finish (onCreated/onChanged), find them again after a restart (search), resume an interrupted one |
// | storage                      | both    | all state (tracked downloads, hash checkpoints, trust state, mirror pool cache) so a stopped background resumes |
// | alarms                       | both    | a watchdog while a download is unfinished: a background stopped mid-hash is started again within 30 s and resumes (resumeOnStartup) |
// | notifications                | both    | the one-line verdict when a download has been checked, and "pick the file" when we cannot read it |
// | webRequest                   | Firefox | observe responses from mirror / official-site hosts (onHeadersReceived, onBeforeRedirect) |
// | webRequestBlocking           | Firefox | filterResponseData requires it (MDN webRequest.filterResponseData, "Permissions") |
// | webRequestFilterResponse     | Firefox | required in addition for filterResponseData in Manifest V3 since Firefox 110 (same MDN page) |
// | host: official site (+ subdomains) | both | fetch release data (description, signatures, key, mirrors.json) cross-origin; Firefox: hash downloads served by the site itself (e.g. download.<site>) |
// | host: each rebuilder's origin | both   | ask the profile's pinned rebuilders for attestations (only when the profile lists any) |
// | host: file:///*              | Chrome  | read a finished download via fetch('file://…') — effective only if the user also turns on "Allow access to file URLs" |
// | optional host: http(s)://*/* | both    | granted per origin only on request: Firefox needs host access to a mirror to hash its downloads, and the mirror list is fetched at run time (the options page requests the pool's origins); the "check a mirror" tool requests the one mirror the user names |
//
// Not requested: tabs (tabs.create needs no permission), activeTab, scripting, <all_urls>.
// incognito "spanning" (both browsers; Firefox supports only spanning and not_allowed, Chrome also
// split): one background sees ordinary and private windows' downloads, and keeps the private ones'
// records in storage.session only. It runs in private windows only once the person allows it
// (Firefox: "Run in Private Windows"; Chrome: "Allow in Incognito"), README "Tor Browser".
// Firefox strict_min_version 142: filterResponseData in MV3 needs ≥ 110, MV3 host_permissions
// are granted at install from 127, optional_host_permissions exist from 128 (MDN
// manifest.json/host_permissions, optional_host_permissions), and
// gecko.data_collection_permissions (which AMO asks for) from 140 on desktop and 142 on Android.
// Firefox for Android is not a target (no downloads API there: no gecko_android key, which would
// list the add-on for Android on AMO), but web-ext lint judges the Android minimum by this one, so
// 142 rather than 140: the ESR line is 153 now, and Tor Browser follows ESR.
import fs from 'node:fs';
import path from 'node:path';

export const FIREFOX_ID = 'iso-verify@iso-verify.invalid';
export const FIREFOX_MIN_VERSION = '142.0';
export const EXTENSION_PAGES_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";
export const BROWSERS = /** @type {const} */ (['chrome', 'firefox']);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Match patterns for a site: its host and (for names) its subdomains, any port. */
export function sitePatterns(siteUrl) {
  const url = new URL(siteUrl);
  const scheme = url.protocol.replace(/:$/, '');
  const host = url.hostname.toLowerCase();
  if (LOOPBACK.has(host)) {
    // A loopback site (tests, demo): the local mirrors may use either loopback name.
    return [`${scheme}://127.0.0.1/*`, `${scheme}://localhost/*`];
  }
  const isIp = /^[0-9.]+$/.test(host) || host.startsWith('[');
  return isIp ? [`${scheme}://${host}/*`] : [`${scheme}://${host}/*`, `${scheme}://*.${host}/*`];
}

function uniqueSorted(list) {
  return [...new Set(list)].sort();
}

/** Files only the Chrome build ships: Firefox hashes in its event page and has no offscreen API. */
export const CHROME_ONLY_FILES = ['offscreen.html', 'offscreen.js'];

/** Host permissions the profile needs: its official site and its rebuilders' origins. */
export function profileHostPermissions(profile) {
  const patterns = sitePatterns(profile.officialSite);
  for (const rebuilder of profile.rebuilders ?? []) {
    const url = new URL(rebuilder.baseUrl);
    patterns.push(`${url.protocol}//${url.hostname}/*`);
  }
  return uniqueSorted(patterns);
}

/**
 * The official site's bridge (src/site, docs/embed.md): the content script runs on the
 * profile's official site only, top frame only, and only that site may embed the hidden
 * verification frame. Chrome match patterns can name the port; Firefox's cannot, so there the
 * content script and the frame compare the exact origin (scheme, host AND port) themselves.
 */
export function officialSiteBridge(siteUrl, browser) {
  const url = new URL(siteUrl);
  const host = browser === 'chrome' && url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const match = `${url.protocol}//${host}/*`;
  return {
    content_scripts: [{ matches: [match], js: ['site-bridge.js'], run_at: 'document_start', all_frames: false }],
    web_accessible_resources: [{ resources: ['verify-frame.html'], matches: [match] }],
  };
}

/**
 * Firefox only: the content script that hands a clicked image link on the official site to
 * downloads.download(), because Firefox cannot filter a page load that becomes a download
 * (src/background/firefox/firefox-stream.ts). Same match as the bridge; the script checks the port.
 */
export function officialSiteDownloadLinks(siteUrl) {
  const url = new URL(siteUrl);
  return {
    matches: [`${url.protocol}//${url.hostname}/*`],
    js: ['site-download-links.js'],
    run_at: 'document_start',
    all_frames: false,
  };
}

/**
 * The manifest for one browser. `base` is the parsed root manifest.json, `profile` the
 * validated profile, `version` the package version, `baseName` the English extension name.
 */
export function buildManifest({ base, browser, profile, version, baseName }) {
  if (!BROWSERS.includes(browser)) throw new Error(`unknown browser "${browser}" (expected ${BROWSERS.join(' or ')})`);
  const manifest = structuredClone(base);
  manifest.version = version;
  if (profile.id !== 'tails') {
    // Say which profile a non-default build trusts, so a demo build is never mistaken for the real one.
    manifest.name = `${baseName} (${profile.id})`;
    if (manifest.action) manifest.action.default_title = manifest.name;
  }
  manifest.content_security_policy = { extension_pages: EXTENSION_PAGES_CSP };
  Object.assign(manifest, officialSiteBridge(profile.officialSite, browser));
  const hosts = profileHostPermissions(profile);
  const optionalHosts = ['http://*/*', 'https://*/*'];
  if (browser === 'chrome') {
    manifest.background = { service_worker: 'background.js' };
    // offscreen: the document whose workers hash a finished download (src/offscreen/); no warning is shown for it.
    manifest.permissions = uniqueSorted([...base.permissions, 'offscreen']);
    manifest.host_permissions = [...hosts, 'file:///*'];
    manifest.optional_host_permissions = optionalHosts;
  } else {
    manifest.background = { scripts: ['background.js'] };
    manifest.permissions = uniqueSorted([
      ...base.permissions,
      'webRequest',
      'webRequestBlocking',
      'webRequestFilterResponse',
    ]);
    manifest.host_permissions = hosts;
    manifest.optional_host_permissions = optionalHosts;
    manifest.content_scripts.push(officialSiteDownloadLinks(profile.officialSite));
    manifest.browser_specific_settings = {
      gecko: {
        id: FIREFOX_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the user's machine except requests for public release data.
        data_collection_permissions: { required: ['none'] },
      },
    };
  }
  return manifest;
}

/** Read the root manifest, the package version and the English name. */
export function readManifestInputs(root) {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const messages = JSON.parse(fs.readFileSync(path.join(root, 'public/_locales/en/messages.json'), 'utf8'));
  const baseName = messages.extName?.message ?? 'ISO Verify';
  return { base, version, baseName };
}

/** Files under `dir`, relative, sorted (so asset order does not depend on the file system). */
export function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * Webpack plugin: the bundles are built once into `chrome/`; this copies public/ next to
 * them, duplicates everything into `firefox/`, and writes each browser's manifest.
 */
/** Where docs/reproduce.md lands in each extension (src/ui/components/ReproView.tsx links it). */
export const REPRODUCE_DOC = 'reproduce.txt';
/** Where docs/cli.md lands (src/ui-kit/VerdictView.tsx CLI_DOC_URL links it). */
export const CLI_DOC = 'cli.txt';

export class ExtensionOutputPlugin {
  constructor({ root, publicDir, profile }) {
    this.root = root;
    this.publicDir = publicDir;
    this.profile = profile;
  }

  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('ExtensionOutputPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'ExtensionOutputPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const rel of listFiles(this.publicDir)) {
            const file = path.join(this.publicDir, rel);
            compilation.fileDependencies.add(file);
            compilation.emitAsset(`chrome/${rel}`, new sources.RawSource(fs.readFileSync(file)));
          }
          compilation.contextDependencies.add(this.publicDir);
          // How to reproduce a release and publish an attestation: linked from the reproducibility
          // status when nobody is configured; shipped as text so it opens offline in both browsers.
          const howTo = path.join(this.root, 'docs', 'reproduce.md');
          compilation.fileDependencies.add(howTo);
          compilation.emitAsset(`chrome/${REPRODUCE_DOC}`, new sources.RawSource(fs.readFileSync(howTo)));
          // The CLI's install and "Checking a USB stick" text, linked from a verified verdict (src/ui-kit/VerdictView.tsx).
          const cliDoc = path.join(this.root, 'docs', 'cli.md');
          compilation.fileDependencies.add(cliDoc);
          compilation.emitAsset(`chrome/${CLI_DOC}`, new sources.RawSource(fs.readFileSync(cliDoc)));
        },
      );
      compilation.hooks.processAssets.tap(
        { name: 'ExtensionOutputPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const inputs = readManifestInputs(this.root);
          for (const name of ['manifest.json', 'package.json', 'public/_locales/en/messages.json']) {
            compilation.fileDependencies.add(path.join(this.root, name));
          }
          for (const asset of compilation.getAssets()) {
            const rel = asset.name.slice('chrome/'.length);
            if (asset.name.startsWith('chrome/') && !CHROME_ONLY_FILES.includes(rel))
              compilation.emitAsset(`firefox/${rel}`, asset.source, asset.info);
          }
          for (const browser of BROWSERS) {
            const manifest = buildManifest({ ...inputs, browser, profile: this.profile });
            compilation.emitAsset(
              `${browser}/manifest.json`,
              new sources.RawSource(`${JSON.stringify(manifest, null, 2)}\n`),
            );
          }
        },
      );
    });
  }
}
