import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkMirror,
  mapBounded,
  reportIsBad,
  type ImageJudge,
  type MirrorRelease,
} from '../../../src/core/mirror/check.js';
import type { MirrorFileCheck } from '../../../src/core/mirror/types.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { memorySource, type MemoryFile } from './memory-source.js';

const PREFIX = 'https://mirror.example/tails/';
const IMG_PATH = 'stable/tails-amd64-9.0/tails-amd64-9.0.img';
const image = new Uint8Array(randomBytes(50_000));
const signature = new Uint8Array(randomBytes(300));
const sha256 = createHash('sha256').update(image).digest('hex');

const release: MirrorRelease = {
  product: 'Tails',
  version: '9.0',
  signed: true,
  files: [
    { fileName: 'tails-amd64-9.0.img', kind: 'image', path: IMG_PATH, size: image.length, sha256 },
    {
      fileName: 'tails-amd64-9.0.img.sig',
      kind: 'signature',
      path: `${IMG_PATH}.sig`,
      size: signature.length,
      bytes: signature,
    },
  ],
};

function good(overrides: Partial<MemoryFile> = {}): Record<string, MemoryFile> {
  return {
    [IMG_PATH]: { bytes: image, contentType: 'application/octet-stream', ...overrides },
    [`${IMG_PATH}.sig`]: { bytes: signature, contentType: 'application/pgp-signature' },
  };
}

function imageCheck(files: MirrorFileCheck[]): MirrorFileCheck {
  return files.find((f) => f.kind === 'image')!;
}

const flipped = image.slice();
flipped[12_345] = flipped[12_345]! ^ 0x01;

describe('checkMirror', () => {
  it('full mode: a correct mirror is ok, with the hash, bytes and a throughput', async () => {
    const source = memorySource(PREFIX, good());
    const report = await checkMirror(source, release, { mode: 'full' });
    expect(report.ok).toBe(true);
    expect(reportIsBad(report)).toBe(false);
    expect(report.files.map((f) => f.status)).toEqual(['ok', 'ok']);
    const img = imageCheck(report.files);
    expect(img).toMatchObject({ sha256, bytesRead: image.length, httpStatus: 200, location: `${PREFIX}${IMG_PATH}` });
    expect(img.throughput).toBeGreaterThan(0);
    expect(report.bytesRead).toBe(image.length + signature.length);
    expect(report.release).toEqual({ product: 'Tails', version: '9.0', signed: true });
    expect(source.closed).toBe(2);
  });

  it('quick mode asks for image headers only (HEAD) but compares signatures byte for byte', async () => {
    const source = memorySource(PREFIX, { ...good(), [`${IMG_PATH}.sig`]: { bytes: signature.map((b) => b ^ 0xff) } });
    const report = await checkMirror(source, release, { mode: 'quick' });
    expect(source.requests).toEqual([
      { path: IMG_PATH, method: 'HEAD' },
      { path: `${IMG_PATH}.sig`, method: 'GET' },
    ]);
    expect(report.files.map((f) => f.status)).toEqual(['ok', 'corrupt']);
    expect(imageCheck(report.files).bytesRead).toBe(0);
    expect(reportIsBad(report)).toBe(true);
  });

  it('quick mode: a server that refuses HEAD is asked with GET, and hung up on after the headers', async () => {
    const source = memorySource(PREFIX, good({ noHead: true }));
    const report = await checkMirror(source, release, { mode: 'quick' });
    expect(source.requests.slice(0, 2)).toEqual([
      { path: IMG_PATH, method: 'HEAD' },
      { path: IMG_PATH, method: 'GET' },
    ]);
    expect(imageCheck(report.files)).toMatchObject({ status: 'ok', bytesRead: 0 });
  });

  it('quick mode: a Content-Length other than the signed size is wrong-length', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ contentLength: image.length - 1 })), release, {
      mode: 'quick',
    });
    expect(imageCheck(report.files)).toMatchObject({ status: 'wrong-length', contentLength: image.length - 1 });
    expect(imageCheck(report.files).detail).toContain(`signed size ${image.length}`);
  });

  it.each<[string, Partial<MemoryFile>, string, RegExp]>([
    ['a 404', { status: 404 }, 'missing', /HTTP 404/],
    ['a 500', { status: 500 }, 'http-error', /HTTP 500/],
    ['an HTML page', { contentType: 'text/html; charset=utf-8' }, 'wrong-type', /text\/html/],
    [
      'a redirect to another host',
      { redirectTo: `https://elsewhere.example/tails/${IMG_PATH}` },
      'redirect-offsite',
      /elsewhere\.example/,
    ],
  ])('both modes: %s is %s', async (_what, fault, status, detail) => {
    for (const mode of ['quick', 'full'] as const) {
      const report = await checkMirror(memorySource(PREFIX, good(fault)), release, { mode });
      expect(imageCheck(report.files).status).toBe(status);
      expect(imageCheck(report.files).detail).toMatch(detail);
      expect(reportIsBad(report)).toBe(true);
    }
  });

  it('a redirect within the same host is fine', async () => {
    const report = await checkMirror(
      memorySource(PREFIX, good({ redirectTo: `https://mirror.example/other/${IMG_PATH}` })),
      release,
      { mode: 'quick' },
    );
    expect(imageCheck(report.files).status).toBe('ok');
  });

  it('full mode: fewer bytes than signed (announced honestly) are truncated', async () => {
    const short = image.slice(0, 30_000);
    const report = await checkMirror(memorySource(PREFIX, good({ bytes: short })), release, { mode: 'full' });
    expect(imageCheck(report.files)).toMatchObject({ status: 'truncated', bytesRead: 30_000 });
  });

  it('full mode: more bytes than signed are oversized, and nothing past the signed size is hashed', async () => {
    const long = new Uint8Array(image.length + 5000);
    long.set(image);
    const report = await checkMirror(memorySource(PREFIX, good({ bytes: long, contentLength: null })), release, {
      mode: 'full',
    });
    expect(imageCheck(report.files)).toMatchObject({ status: 'oversized', bytesRead: image.length });
  });

  it('full mode: one changed byte is corrupt, with both hashes named', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ bytes: flipped })), release, { mode: 'full' });
    const img = imageCheck(report.files);
    expect(img.status).toBe('corrupt');
    expect(img.sha256).toBe(createHash('sha256').update(flipped).digest('hex'));
    expect(img.detail).toContain(sha256.slice(0, 12));
  });

  it('full mode: a connection that breaks midway is dropped', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ dropAfter: 20_000 })), release, { mode: 'full' });
    expect(imageCheck(report.files)).toMatchObject({ status: 'dropped', bytesRead: 20_000 });
  });

  it('full mode: right bytes under a wrong Content-Length (then a broken connection) are wrong-length', async () => {
    const report = await checkMirror(
      memorySource(PREFIX, good({ contentLength: image.length + 1000, dropAfter: image.length })),
      release,
      { mode: 'full' },
    );
    const img = imageCheck(report.files);
    expect(img.status).toBe('wrong-length');
    expect(img.sha256).toBe(sha256);
    expect(img.detail).toContain('bytes served are right');
  });

  it('a mirror that stops sending times out on the stall timer', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ stallAfter: 10_000 })), release, {
      mode: 'full',
      stallTimeoutMs: 100,
    });
    expect(imageCheck(report.files)).toMatchObject({ status: 'timeout', bytesRead: 10_000 });
    expect(imageCheck(report.files).detail).toMatch(/no data/);
    expect(report.files[1]!.status).toBe('ok');
  });

  it('a mirror that drips times out on the whole-file bound', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ chunkDelayMs: 20 })), release, {
      mode: 'full',
      fileTimeoutMs: 150,
      stallTimeoutMs: 1000,
    });
    expect(imageCheck(report.files).status).toBe('timeout');
    expect(imageCheck(report.files).detail).toMatch(/no complete answer/);
  });

  it('a refused connection is unreachable, with the reason', async () => {
    const report = await checkMirror(memorySource(PREFIX, good({ refuse: true })), release, { mode: 'quick' });
    expect(imageCheck(report.files).status).toBe('unreachable');
    expect(imageCheck(report.files).detail).toContain('ECONNREFUSED');
  });

  it('the caller cancelling rejects with aborted', async () => {
    const controller = new AbortController();
    const pending = checkMirror(memorySource(PREFIX, good({ stallAfter: 1000 })), release, {
      mode: 'full',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  describe('judging a hashed image', () => {
    const verdict = (v: Partial<Verdict>) => v as Verdict;

    it('a verified verdict is ok and recorded', async () => {
      const judge: ImageJudge = async (_t, hash) => {
        expect(hash.digests.sha256).toBe(sha256);
        expect(hash.digests.sha512).toMatch(/^[0-9a-f]{128}$/);
        return verdict({
          kind: 'verified',
          signer: {
            over: 'image',
            signatureTime: '2026-01-01T00:00:00Z',
            primaryFingerprint: 'A',
            signingKeyFingerprint: 'A',
          },
        });
      };
      const report = await checkMirror(memorySource(PREFIX, good()), release, { mode: 'full', judge });
      expect(imageCheck(report.files)).toMatchObject({ status: 'ok', verdict: 'verified' });
    });

    it('a bad signature over the described bytes is corrupt; checksum-only is unverifiable (not bad)', async () => {
      const bad: ImageJudge = async () =>
        verdict({ kind: 'unverifiable', reason: 'signature-bad', error: { code: 'signature-bad' } });
      const r1 = await checkMirror(memorySource(PREFIX, good()), release, { mode: 'full', judge: bad });
      expect(imageCheck(r1.files).status).toBe('corrupt');
      const weak: ImageJudge = async () => verdict({ kind: 'checksum-only' });
      const r2 = await checkMirror(memorySource(PREFIX, good()), release, { mode: 'full', judge: weak });
      expect(imageCheck(r2.files).status).toBe('unverifiable');
      expect(r2.ok).toBe(false);
      expect(reportIsBad(r2)).toBe(false);
    });

    it('a judge that throws leaves the file unverifiable, not the mirror unreachable', async () => {
      const broken: ImageJudge = async () => {
        throw new Error('state file not writable');
      };
      const report = await checkMirror(memorySource(PREFIX, good()), release, { mode: 'full', judge: broken });
      expect(imageCheck(report.files)).toMatchObject({ status: 'unverifiable' });
      expect(imageCheck(report.files).detail).toContain('state file not writable');
    });

    it('quick mode never calls the judge', async () => {
      let called = false;
      await checkMirror(memorySource(PREFIX, good()), release, {
        mode: 'quick',
        judge: async () => {
          called = true;
          return verdict({ kind: 'verified' });
        },
      });
      expect(called).toBe(false);
    });
  });

  it('reports progress and each finished file', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    const bigRelease: MirrorRelease = {
      ...release,
      files: [
        {
          fileName: 'big.img',
          kind: 'image',
          path: 'big.img',
          size: big.length,
          sha256: createHash('sha256').update(big).digest('hex'),
        },
      ],
    };
    const progress: number[] = [];
    const finished: string[] = [];
    const report = await checkMirror(
      memorySource(PREFIX, { 'big.img': { bytes: big, chunkSize: 1 << 20 } }),
      bigRelease,
      {
        mode: 'full',
        onProgress: (p) => progress.push(p.bytes),
        onFileChecked: (mirror, check) => finished.push(`${mirror}${check.fileName}:${check.status}`),
      },
    );
    expect(report.ok).toBe(true);
    expect(progress).toEqual([8 << 20, 16 << 20, 20 << 20]);
    expect(finished).toEqual([`${PREFIX}big.img:ok`]);
  });
});

describe('mapBounded', () => {
  it('keeps the order and never runs more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([50, 10, 30, 20, 5], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms * 2;
    });
    expect(out).toEqual([100, 20, 60, 40, 10]);
    expect(peak).toBe(2);
  });
});

/**
 * #20: in image-signature mode (latest.json unsigned) the size and SHA-256 the release lists are
 * unsigned. They may explain, never make a mirror bad: the image's own signature decides.
 */
describe('checkMirror with an unsigned size and SHA-256 (#20)', () => {
  /** What latest.json says when it lies: `size` and `sha256` of its choosing. */
  const lying = (size: number, hash = sha256): MirrorRelease => ({
    ...release,
    signed: false,
    files: [{ ...release.files[0]!, size, sha256: hash }, release.files[1]!],
  });
  const verifiedJudge: ImageJudge = async (_t, hash) => {
    expect(hash.digests.sha256).toBe(sha256);
    return {
      kind: 'verified',
      signer: {
        over: 'image',
        signatureTime: '2026-01-01T00:00:00Z',
        primaryFingerprint: 'A',
        signingKeyFingerprint: 'A',
      },
      evidence: { warnings: [{ code: 'unsigned-description-differs' }] },
    } as unknown as Verdict;
  };

  it('full mode: a correct mirror is ok although the unsigned size is smaller (not OVERSIZED)', async () => {
    const report = await checkMirror(memorySource(PREFIX, good()), lying(image.length - 1), {
      mode: 'full',
      judge: verifiedJudge,
    });
    expect(imageCheck(report.files)).toMatchObject({
      status: 'ok',
      bytesRead: image.length,
      expectedSizeSigned: false,
    });
    expect(imageCheck(report.files).detail).toContain(
      `the unsigned description differs (expected size (unsigned) ${image.length - 1})`,
    );
    expect(reportIsBad(report)).toBe(false);
  });

  it('full mode: a correct mirror is ok although the unsigned size is larger (not TRUNCATED)', async () => {
    const report = await checkMirror(memorySource(PREFIX, good()), lying(image.length + 1), {
      mode: 'full',
      judge: verifiedJudge,
    });
    expect(imageCheck(report.files)).toMatchObject({ status: 'ok', bytesRead: image.length });
  });

  it('full mode: a correct mirror is ok although the unsigned SHA-256 is wrong (not CORRUPT)', async () => {
    const report = await checkMirror(memorySource(PREFIX, good()), lying(image.length, 'e'.repeat(64)), {
      mode: 'full',
      judge: verifiedJudge,
    });
    expect(imageCheck(report.files).status).toBe('ok');
  });

  it('full mode: bytes only the unsigned description contradicts (no signature to check) are unverifiable, not bad', async () => {
    const judge: ImageJudge = async () =>
      ({
        kind: 'mismatch',
        expected: {},
        evidence: { facts: { release: 'unsigned', reference: 'unsigned' }, signatures: [] },
      }) as unknown as Verdict;
    const report = await checkMirror(
      memorySource(PREFIX, good({ bytes: flipped })),
      { ...release, signed: false },
      { mode: 'full', judge },
    );
    expect(imageCheck(report.files).status).toBe('unverifiable');
    expect(imageCheck(report.files).detail).toContain('no signature by the pinned key covers them');
    expect(reportIsBad(report)).toBe(false);
  });

  it("full mode: bytes the pinned key's image signature contradicts are still corrupt", async () => {
    const judge: ImageJudge = async () =>
      ({
        kind: 'mismatch',
        expected: {},
        evidence: {
          facts: { release: 'unsigned', reference: 'unsigned' },
          signatures: [{ over: 'image', good: false, error: { code: 'signature-bad' } }],
        },
      }) as unknown as Verdict;
    const report = await checkMirror(
      memorySource(PREFIX, good({ bytes: flipped })),
      { ...release, signed: false },
      { mode: 'full', judge },
    );
    expect(imageCheck(report.files).status).toBe('corrupt');
    expect(reportIsBad(report)).toBe(true);
  });

  it('quick mode: a Content-Length other than an unsigned size is unverifiable, worded "expected size (unsigned)"', async () => {
    const report = await checkMirror(memorySource(PREFIX, good()), lying(image.length - 1), { mode: 'quick' });
    expect(imageCheck(report.files).status).toBe('unverifiable');
    expect(imageCheck(report.files).detail).toBe(
      `Content-Length ${image.length}, expected size (unsigned) ${image.length - 1}: no signature covers that size; the full check decides by the image signature`,
    );
    expect(reportIsBad(report)).toBe(false);
  });

  it('a signed size is called signed; an unsigned one never', async () => {
    const signedReport = await checkMirror(memorySource(PREFIX, good({ contentLength: image.length - 1 })), release, {
      mode: 'quick',
    });
    expect(imageCheck(signedReport.files)).toMatchObject({ status: 'wrong-length', expectedSizeSigned: true });
    expect(imageCheck(signedReport.files).detail).toContain(`signed size ${image.length}`);
    const udfSigned: MirrorRelease = {
      ...release,
      signed: false,
      files: [{ ...release.files[0]!, sizeSigned: true }, release.files[1]!],
    };
    const r = await checkMirror(memorySource(PREFIX, good({ contentLength: image.length - 1 })), udfSigned, {
      mode: 'quick',
    });
    expect(imageCheck(r.files)).toMatchObject({ status: 'wrong-length', expectedSizeSigned: true });
  });
});
