/**
 * docs/embed.md's Tails example, as written, against the loopback official site serving what
 * tails.net serves: an unsigned latest.json (no latest.json.sig) and each image's signature.
 * Only key-url and fingerprints are swapped for the demo key (its secret signed the images).
 */
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoRelease, type DemoRelease } from '../../../scripts/make-demo-release.js';
import { startOfficialSite, type OfficialSite } from '../../servers/official-site.js';
import { MemoryTrustState } from '../../../src/core/freshness.js';
import { hashStream } from '../../../src/core/hash/index.js';
import { createCappedFetcher } from '../../../src/core/net/capped-fetch.js';
import { verifyImage } from '../../../src/core/verify/index.js';
import { readWidgetConfig, WIDGET_ATTRIBUTES, type WidgetAttribute } from '../../../src/embed/config.js';
import { widgetProfile } from '../../../src/embed/engine.js';
import { REPO } from '../cli/harness.js';

/** The attributes of the first <iso-verify-download> in the page's first html block, entities decoded. */
function documentedAttributes(): Record<string, string> {
  const doc = readFileSync(path.join(REPO, 'docs', 'embed.md'), 'utf8');
  const block = /```html\n([\s\S]*?)```/.exec(doc)![1]!;
  const tag = /<iso-verify-download([^>]*)>/.exec(block)![1]!;
  const attributes: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-z-]+)="([^"]*)"/g))
    attributes[m[1]!] = m[2]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return attributes;
}

let release: DemoRelease;
let site: OfficialSite;

beforeAll(async () => {
  release = await makeDemoRelease({ log: () => {} });
  site = await startOfficialSite({ port: 0, release });
  site.setMode({ descriptionSigner: 'none' }); // like tails.net: latest.json is not signed
}, 120_000);

afterAll(async () => {
  await site?.close();
});

async function verifyWith(attributes: Record<string, string>) {
  const { profile } = readWidgetConfig((name: WidgetAttribute) => attributes[name] ?? null, `${site.url}/install/`);
  const image = release.images.find((i) => i.type === 'img' && i.version === release.current)!;
  const fetcher = createCappedFetcher(globalThis.fetch.bind(globalThis), { allowLoopbackHttp: true });
  const hash = hashStream(createReadStream(image.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, {
    algorithms: ['sha256', 'sha512'],
  });
  const { verdict } = await verifyImage({
    profile: widgetProfile(profile),
    fileName: image.name,
    material: { fetcher },
    hash,
    store: { rollback: new MemoryTrustState() },
    now: new Date(),
  });
  return verdict;
}

describe('docs/embed.md: the Tails example', () => {
  it('uses only attributes the widget knows and names no latest.json.sig, which Tails does not publish', () => {
    const attributes = documentedAttributes();
    for (const name of Object.keys(attributes)) expect(WIDGET_ATTRIBUTES as readonly string[], name).toContain(name);
    expect(attributes['signature-url']).toBeUndefined();
    expect(attributes['key-url']).toBe('/tails-signing.key');
  });

  it('as written (demo key swapped in), verifies a Tails-style release: image signature, unsigned description', async () => {
    const attributes = {
      ...documentedAttributes(),
      'key-url': '/demo-signing.key',
      fingerprints: release.pinnedFingerprint,
    };
    const verdict = await verifyWith(attributes);
    expect(verdict.kind, JSON.stringify(verdict).slice(0, 1500)).toBe('verified');
    expect(verdict.evidence.facts?.release).toBe('unsigned');
    // With the old example's signature-url every check failed on such a site.
    const withSig = await verifyWith({
      ...attributes,
      'signature-url': '/install/v2/Tails/amd64/stable/latest.json.sig',
    });
    expect(withSig.kind).not.toBe('verified');
  });
});
