import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  EXTENSION_PAGES_CSP,
  FIREFOX_ID,
  officialSiteDownloadLinks,
  profileHostPermissions,
  readManifestInputs,
  sitePatterns,
} from '../../../build/manifest.js';
import { getProfile } from '../../../src/core/profiles/builtin.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const inputs = readManifestInputs(root);

describe('per-browser manifests', () => {
  const tails = getProfile('tails');

  it('Chrome: service worker, file:// access, no webRequest', () => {
    const m = buildManifest({ ...inputs, browser: 'chrome', profile: tails });
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.permissions).toEqual(['alarms', 'downloads', 'notifications', 'offscreen', 'storage']);
    expect(m.host_permissions).toEqual(['https://*.tails.net/*', 'https://tails.net/*', 'file:///*']);
    expect(m.browser_specific_settings).toBeUndefined();
    expect(m.content_security_policy).toEqual({
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    });
    expect(m.name).toBe('__MSG_extName__');
    expect(m.version).toBe(inputs.version);
  });

  it('Firefox: event page scripts, stream filtering permissions, gecko id', () => {
    const m = buildManifest({ ...inputs, browser: 'firefox', profile: tails });
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.permissions).toEqual([
      'alarms',
      'downloads',
      'notifications',
      'storage',
      'webRequest',
      'webRequestBlocking',
      'webRequestFilterResponse',
    ]);
    expect(m.host_permissions).not.toContain('file:///*');
    expect(m.browser_specific_settings.gecko.id).toBe(FIREFOX_ID);
    expect(Number.parseFloat(m.browser_specific_settings.gecko.strict_min_version)).toBeGreaterThanOrEqual(128);
    expect(m.content_security_policy.extension_pages).toBe(EXTENSION_PAGES_CSP);
  });

  it("Firefox only: the official site's download-links content script", () => {
    const firefox = buildManifest({ ...inputs, browser: 'firefox', profile: tails });
    expect(firefox.content_scripts).toContainEqual({
      matches: ['https://tails.net/*'],
      js: ['site-download-links.js'],
      run_at: 'document_start',
      all_frames: false,
    });
    const chrome = buildManifest({ ...inputs, browser: 'chrome', profile: tails });
    expect(chrome.content_scripts.flatMap((c: { js: string[] }) => c.js)).not.toContain('site-download-links.js');
    // The port is not part of a Firefox match pattern; the script checks the exact origin itself.
    expect(officialSiteDownloadLinks('http://127.0.0.1:8470').matches).toEqual(['http://127.0.0.1/*']);
  });

  it('never asks for every site at install time', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const m = buildManifest({ ...inputs, browser, profile: tails });
      const all = [...m.permissions, ...m.host_permissions];
      for (const broad of ['<all_urls>', '*://*/*', 'https://*/*', 'http://*/*', 'tabs', 'scripting'])
        expect(all).not.toContain(broad);
      expect(m.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    }
  });

  it('names a non-tails build after its profile', () => {
    const demo = getProfile('demo');
    const m = buildManifest({ ...inputs, browser: 'firefox', profile: demo });
    expect(m.name).toBe('ISO Verify (demo)');
    expect(m.action.default_title).toBe('ISO Verify (demo)');
    expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
  });

  it('adds rebuilder origins and rejects unknown browsers', () => {
    const profile = {
      ...getProfile('tails'),
      rebuilders: [
        {
          name: 'r',
          baseUrl: 'https://rebuild.example.org/api',
          publicKeyPem: '',
          distribution: 'tails',
          architecture: 'amd64',
        },
      ],
    };
    expect(profileHostPermissions(profile)).toContain('https://rebuild.example.org/*');
    expect(() => buildManifest({ ...inputs, browser: 'safari' as never, profile })).toThrow(/unknown browser/);
  });

  it('builds site patterns without ports', () => {
    expect(sitePatterns('https://tails.net')).toEqual(['https://tails.net/*', 'https://*.tails.net/*']);
    expect(sitePatterns('https://192.0.2.1:8443')).toEqual(['https://192.0.2.1/*']);
  });
});
