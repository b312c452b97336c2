/**
 * The demo release and the loopback servers behave as the e2e tests and the demo rely on:
 * real GnuPG accepts the pinned signatures and rejects the rogue ones, and every mirror prefix
 * misbehaves exactly as documented (checked over real HTTP on ephemeral ports).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_FINGERPRINT,
  DEMO_PUBLIC_KEY,
  TRUNCATED_BYTES,
  loadDemoRelease,
  makeDemoRelease,
  type DemoRelease,
  type ReleaseImage,
} from '../../../scripts/make-demo-release.js';
import { BAD_LENGTH_EXCESS, startMirror, type MirrorServer } from '../../servers/mirror.js';
import {
  DESCRIPTION_PATH,
  parseModeChange,
  setSiteMode,
  startOfficialSite,
  type OfficialSite,
} from '../../servers/official-site.js';
import { parseRange } from '../../servers/http-util.js';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  length: number;
  sha256: string;
  body: Buffer; // first 64 KiB only
  aborted: boolean;
}

/** GET with node:http so dropped connections and lying Content-Lengths are visible. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let length = 0;
      let aborted = false;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        if (length < 65536) head.push(chunk);
        length += chunk.length;
      });
      const done = () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          length,
          sha256: hash.digest('hex'),
          body: Buffer.concat(head),
          aborted,
        });
      res.on('aborted', () => (aborted = true));
      res.on('error', () => {
        aborted = true;
      });
      res.on('close', done);
    });
    req.on('error', reject);
    req.end();
  });
}

function sha256OfFile(file: string, end?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, end === undefined ? {} : { end: end - 1 })
      .on('data', (c) => hash.update(c as Buffer))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

function gpgVerify(sig: string, file: string): { ok: boolean; output: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-test-gpg-'));
  try {
    const env = { ...process.env, GNUPGHOME: home };
    spawnSync('gpg', ['--batch', '--quiet', '--import', DEMO_PUBLIC_KEY], { env });
    const r = spawnSync('gpg', ['--batch', '--status-fd', '1', '--verify', sig, file], { env, encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    rmSync(home, { recursive: true, force: true });
  }
}

let release: DemoRelease;
let mirror: MirrorServer;
let site: OfficialSite;
let img: ReleaseImage;
let oldImg: ReleaseImage;

beforeAll(async () => {
  release = await makeDemoRelease({ log: () => {} });
  mirror = await startMirror({ port: 0, release, slowBytesPerSecond: 64 * 1024 });
  site = await startOfficialSite({ port: 0, release, mirrors: mirror.prefixes });
  img = release.images.find((i) => i.version === release.current && i.type === 'img')!;
  oldImg = release.images.find((i) => i.version === release.previous && i.type === 'img')!;
}, 300_000);

afterAll(async () => {
  await site?.close();
  await mirror?.close();
});

describe('demo release', () => {
  it('has two versions with img and iso larger than the 100 MiB truncation point', () => {
    expect(release.current).toBe('7.2');
    expect(release.previous).toBe('7.1');
    expect(release.images.map((i) => i.name).sort()).toEqual([
      'tails-amd64-7.1.img',
      'tails-amd64-7.1.iso',
      'tails-amd64-7.2.img',
      'tails-amd64-7.2.iso',
    ]);
    for (const image of release.images) expect(image.size).toBeGreaterThan(TRUNCATED_BYTES);
  });

  it('describes the current release in Tails IDF format with hashes of the real files', async () => {
    const idf = JSON.parse(readFileSync(release.descriptions.current.file, 'utf8'));
    expect(idf.build_target).toBe('amd64');
    expect(idf['product-name']).toBe('Tails');
    expect(idf.installations[0].version).toBe('7.2');
    const target = idf.installations[0]['installation-paths'].find((p: { type: string }) => p.type === 'img')[
      'target-files'
    ][0];
    expect(target.url).toBe('http://127.0.0.1:8470/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img');
    expect(target.size).toBe(img.size);
    expect(target.sha256).toBe(await sha256OfFile(img.file));
    const old = JSON.parse(readFileSync(release.descriptions.old.file, 'utf8'));
    expect(old.installations[0].version).toBe('7.1');
  });

  it('is signed by the pinned key as GnuPG sees it; rogue signatures do not verify', () => {
    const good = gpgVerify(release.descriptions.current.signature, release.descriptions.current.file);
    expect(good.ok).toBe(true);
    expect(good.output).toContain(`VALIDSIG`);
    expect(good.output).toContain(DEMO_FINGERPRINT);
    expect(good.output).toMatch(/VALIDSIG .* 10 00 /); // hash algorithm 10 = SHA-512
    expect(gpgVerify(img.signature, img.file).ok).toBe(true);
    const rogue = gpgVerify(release.descriptions.current.rogueSignature, release.descriptions.current.file);
    expect(rogue.ok).toBe(false);
    expect(rogue.output).toContain('NO_PUBKEY');
    expect(gpgVerify(img.rogueSignature, img.file).ok).toBe(false);
    expect(release.rogue.fingerprint).not.toBe(DEMO_FINGERPRINT);
  });

  it('is reused when valid; a directory without a valid manifest is refused', async () => {
    const again = await makeDemoRelease({ log: () => {} });
    expect(again.images.map((i) => i.sha256)).toEqual(release.images.map((i) => i.sha256));
    await expect(loadDemoRelease(path.join(os.tmpdir(), 'no-such-release'))).rejects.toThrow(/no valid demo release/);
  });
});

describe('official site', () => {
  it('serves the description, its signature, image signatures, the key and the pool', async () => {
    const desc = await get(`${site.url}${DESCRIPTION_PATH}`);
    expect(desc.status).toBe(200);
    expect(desc.body.equals(readFileSync(release.descriptions.current.file))).toBe(true);
    const sig = await get(`${site.url}${DESCRIPTION_PATH}.sig`);
    expect(sig.body.equals(readFileSync(release.descriptions.current.signature))).toBe(true);
    const imgSig = await get(`${site.url}/torrents/files/${img.name}.sig`);
    expect(imgSig.body.equals(readFileSync(img.signature))).toBe(true);
    expect((await get(`${site.url}/torrents/files/nope.img.sig`)).status).toBe(404);
    const key = await get(`${site.url}/demo-signing.key`);
    expect(key.body.equals(readFileSync(DEMO_PUBLIC_KEY))).toBe(true);
    const pool = JSON.parse((await get(`${site.url}/mirrors.json`)).body.toString('utf8'));
    expect(pool.mirrors.map((m: { url_prefix: string }) => m.url_prefix)).toEqual(
      mirror.prefixes.map((p) => p.urlPrefix),
    );
    expect(pool.mirrors.filter((m: { weight: number }) => m.weight > 0)).toHaveLength(1);
  });

  it('switches modes through POST /__control', async () => {
    try {
      await setSiteMode(site.url, { descriptionSigner: 'rogue' });
      expect(
        (await get(`${site.url}${DESCRIPTION_PATH}.sig`)).body.equals(
          readFileSync(release.descriptions.current.rogueSignature),
        ),
      ).toBe(true);
      await setSiteMode(site.url, { description: 'old', descriptionSigner: 'pinned' });
      expect(
        (await get(`${site.url}${DESCRIPTION_PATH}`)).body.equals(readFileSync(release.descriptions.old.file)),
      ).toBe(true);
      expect(
        (await get(`${site.url}${DESCRIPTION_PATH}.sig`)).body.equals(readFileSync(release.descriptions.old.signature)),
      ).toBe(true);
      await setSiteMode(site.url, { description: 'missing' });
      expect((await get(`${site.url}${DESCRIPTION_PATH}`)).status).toBe(404);
      expect((await get(`${site.url}${DESCRIPTION_PATH}.sig`)).status).toBe(404);
      await setSiteMode(site.url, { imageSignature: 'rogue' });
      expect(
        (await get(`${site.url}/torrents/files/${img.name}.sig`)).body.equals(readFileSync(img.rogueSignature)),
      ).toBe(true);
      await setSiteMode(site.url, { imageSignature: 'missing' });
      expect((await get(`${site.url}/torrents/files/${img.name}.sig`)).status).toBe(404);
      await expect(setSiteMode(site.url, { description: 'bogus' } as never)).rejects.toThrow(
        /description must be one of/,
      );
    } finally {
      await setSiteMode(site.url, 'reset');
    }
    expect(site.mode()).toEqual({
      descriptionSigner: 'pinned',
      description: 'current',
      imageSignature: 'good',
      reachable: 'up',
    });
  });

  it('garbage description is not JSON', async () => {
    site.setMode({ description: 'garbage' });
    try {
      const body = (await get(`${site.url}${DESCRIPTION_PATH}`)).body.toString('utf8');
      expect(() => JSON.parse(body)).toThrow();
    } finally {
      site.setMode('reset');
    }
  });

  it('rejects unknown control settings', () => {
    expect(() => parseModeChange({ signer: 'x' })).toThrow(/unknown setting/);
    expect(() => parseModeChange([])).toThrow(/JSON object/);
    expect(parseModeChange({ reset: true })).toBe('reset');
  });

  it('serves a download page linking the good mirror and a redirector for official URLs', async () => {
    const page = (await get(`${site.url}/install/`)).body.toString('utf8');
    expect(page).toContain(`href="${mirror.urlFor('good', img)}"`);
    expect(page).toContain(`href="${mirror.urlFor('truncated', img)}"`);
    expect(page).toContain('WIDGET:START');
    expect(page).not.toMatch(/\{\{[A-Z_]+\}\}/);
    const redirect = await get(`${site.url}/tails/${img.mirrorPath}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(mirror.urlFor('good', img));
  });
});

describe('mirror', () => {
  it('good: the exact file, as an attachment', async () => {
    const got = await get(mirror.urlFor('good', img));
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="${img.name}"`);
    expect(Number(got.headers['content-length'])).toBe(img.size);
    expect(got.length).toBe(img.size);
    expect(got.sha256).toBe(img.sha256);
  });

  it('supports single byte ranges, If-Range and 416', async () => {
    const part = await get(mirror.urlFor('good', img), { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${img.size}`);
    expect(part.body.equals(readFileSync(img.file).subarray(100, 200))).toBe(true);
    const tail = await get(mirror.urlFor('good', img), { Range: `bytes=${img.size - 10}-` });
    expect(tail.length).toBe(10);
    const stale = await get(mirror.urlFor('good', img), { Range: 'bytes=0-9', 'If-Range': '"other"' });
    expect(stale.status).toBe(200);
    expect((await get(mirror.urlFor('good', img), { Range: `bytes=${img.size}-` })).status).toBe(416);
    expect(parseRange('bytes=-5', 10)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseRange('bytes=1-2,4-5', 10)).toEqual({ kind: 'full' });
  });

  it('truncated: the first 100 MiB as a complete response', async () => {
    const got = await get(mirror.urlFor('truncated', img));
    expect(got.status).toBe(200);
    expect(Number(got.headers['content-length'])).toBe(TRUNCATED_BYTES);
    expect(got.length).toBe(TRUNCATED_BYTES);
    expect(got.aborted).toBe(false);
    expect(got.sha256).toBe(await sha256OfFile(img.file, TRUNCATED_BYTES));
  });

  it('rogue: same size, exactly one byte different', async () => {
    const got = await get(mirror.urlFor('rogue', img));
    expect(got.length).toBe(img.size);
    expect(got.sha256).not.toBe(img.sha256);
    const at = release.rogueByteOffset;
    const around = await get(mirror.urlFor('rogue', img), { Range: `bytes=${at - 4}-${at + 4}` });
    const original = readFileSync(img.file).subarray(at - 4, at + 5);
    const diffs = [...around.body].map((b, i) => (b === original[i] ? -1 : i)).filter((i) => i >= 0);
    expect(diffs).toEqual([4]);
  });

  it('bad-length: announces more than it sends, then closes', async () => {
    const got = await get(mirror.urlFor('bad-length', img));
    expect(Number(got.headers['content-length'])).toBe(img.size + BAD_LENGTH_EXCESS);
    expect(got.length).toBe(img.size);
    expect(got.aborted).toBe(true);
  });

  it('stale: only the previous release', async () => {
    expect((await get(mirror.urlFor('stale', img), {}, 'HEAD')).status).toBe(404);
    const old = await get(mirror.urlFor('stale', oldImg), {}, 'HEAD');
    expect(old.status).toBe(200);
    expect(Number(old.headers['content-length'])).toBe(oldImg.size);
  });

  it('redirect, missing, and per-request faults', async () => {
    const r = await get(mirror.urlFor('redirect', img));
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`http://localhost:${mirror.port}/good/tails/${img.mirrorPath}`);
    expect((await get(mirror.urlFor('missing', img))).status).toBe(404);
    expect((await get(`${mirror.urlFor('good', img)}?fault=missing`)).status).toBe(404);
    expect((await get(`${mirror.url}/nonsense/tails/x`)).status).toBe(404);
  });

  it('drop: cuts the connection halfway; a ranged resume is served in full', async () => {
    const got = await get(mirror.urlFor('drop', img));
    expect(got.aborted).toBe(true);
    expect(got.length).toBeLessThan(img.size);
    expect(got.length).toBeGreaterThan(0);
    const resumed = await get(mirror.urlFor('drop', img), { Range: `bytes=${got.length}-` });
    expect(resumed.status).toBe(206);
    expect(resumed.length).toBe(img.size - got.length);
    expect(resumed.aborted).toBe(false);
  });

  it('slow: drips at the configured rate', async () => {
    const t0 = Date.now();
    const got = await get(mirror.urlFor('slow', img), { Range: 'bytes=0-65535' });
    const seconds = (Date.now() - t0) / 1000;
    expect(got.length).toBe(65536);
    expect(seconds).toBeGreaterThan(0.7); // 64 KiB at 64 KiB/s
  });

  it('pool-redirect: 302 to the same file on another mirror of the pool', async () => {
    const r = await get(mirror.urlFor('pool-redirect', img));
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(mirror.urlFor('good', img));
    expect(mirror.prefixes.map((p) => p.urlPrefix)).toContain(`${mirror.url}/good/tails/`);
  });

  it('outage: drops halfway, then the network stays down until switched back up', async () => {
    const got = await get(mirror.urlFor('outage', img));
    expect(got.aborted).toBe(true);
    expect(got.length).toBeLessThan(img.size);
    await expect.poll(() => mirror.networkUp()).toBe(false);
    await expect(get(mirror.urlFor('good', img), { Range: 'bytes=0-9' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    const control = await fetch(`${mirror.url}/__control`, { method: 'POST', body: JSON.stringify({ network: 'up' }) });
    expect(await control.json()).toEqual({ network: 'up' });
    const resumed = await get(mirror.urlFor('outage', img), { Range: `bytes=${got.length}-` });
    expect(resumed.status).toBe(206);
    expect(resumed.length).toBe(img.size - got.length);
  });
});

describe('official site unreachable', () => {
  it('resets every connection while down and serves again when up', async () => {
    await setSiteMode(site.url, { reachable: 'down' });
    await expect(get(`${site.url}${DESCRIPTION_PATH}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    await setSiteMode(site.url, { reachable: 'up' });
    expect((await get(`${site.url}${DESCRIPTION_PATH}`)).status).toBe(200);
  });
});
