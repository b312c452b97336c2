import { describe, expect, it } from 'vitest';
import type { Fetcher } from '../../../src/core/net/types.js';
import { isOnOfficialSite } from '../../../src/core/profile.js';
import { getProfile } from '../../../src/core/profiles/builtin.js';
import { fetchReleaseMaterial } from '../../../src/core/verify/index.js';

describe('release data stays on the official site', () => {
  it('accepts the site and its subdomains only, with the same scheme', () => {
    const site = { officialSite: 'https://tails.net' };
    expect(isOnOfficialSite(site, 'https://tails.net/install/latest.json')).toBe(true);
    expect(isOnOfficialSite(site, 'https://download.tails.net/x.sig')).toBe(true);
    expect(isOnOfficialSite(site, 'https://eviltails.net/x')).toBe(false);
    expect(isOnOfficialSite(site, 'https://tails.net.evil.org/x')).toBe(false);
    expect(isOnOfficialSite(site, 'http://tails.net/x')).toBe(false);
    expect(isOnOfficialSite(site, 'https://user@tails.net/x')).toBe(false);
    expect(isOnOfficialSite(site, 'not a url')).toBe(false);
  });

  it("refuses profile inputs that a redirect took to another host, but not the caller's overrides", async () => {
    const profile = getProfile('tails');
    // A fetcher that reports every URL as redirected to another host.
    const fetcher: Fetcher = async (url) => ({
      source: url.startsWith('https://tails.net/') ? 'https://attacker.example/latest.json' : url,
      bytes: new TextEncoder().encode('{}'),
      fetchedAt: new Date().toISOString(),
    });
    const material = await fetchReleaseMaterial(profile, 'tails-amd64-7.2.img', fetcher, {});
    expect(material.description.bytes).toBeUndefined();
    expect(material.description.record.error?.code).toBe('fetch-insecure-url');
    const overridden = await fetchReleaseMaterial(profile, 'tails-amd64-7.2.img', fetcher, {
      overrides: { description: 'https://mirror.example/latest.json' },
    });
    expect(overridden.description.bytes).toBeDefined();
  });
});
