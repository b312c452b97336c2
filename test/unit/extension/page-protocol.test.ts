import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/core/verdict.js';
import {
  acceptExtensionReply,
  acceptPageRequest,
  BRIDGE_CHANNEL,
  parseExtensionReply,
  parsePageRequest,
  reply,
  currentRelease,
  summarizeDownloads,
  summarizeVerdict,
} from '../../../src/wire/page-protocol.js';
import { isFrameConnect, parseFrameRequest } from '../../../src/wire/frame-protocol.js';
import { tracked } from '../background/fixtures.js';

const OFFICIAL = 'https://tails.example';
const file = () => new File([new Uint8Array(4)], 'tails-amd64-7.2.img');
const req = (type: string, extra: Record<string, unknown> = {}) => ({
  channel: BRIDGE_CHANNEL,
  direction: 'to-extension',
  id: 'r-1',
  type,
  ...extra,
});

const verified: Verdict = {
  kind: 'verified',
  expected: {
    product: 'Tails',
    version: '7.2',
    type: 'img',
    name: 'tails-amd64-7.2.img',
    url: 'https://mirror.example/x.img',
    size: 10,
    sha256: 'a'.repeat(64),
  },
  signer: {
    primaryFingerprint: 'F'.repeat(40),
    signingKeyFingerprint: 'E'.repeat(40),
    signatureTime: '2025-01-01T00:00:00.000Z',
    over: 'description',
  },
  evidence: {
    file: { name: 'tails-amd64-7.2.img', size: 10, sha256: 'a'.repeat(64) },
    signatures: [],
    inputs: [{ role: 'description', source: 'https://tails.example/latest.json' }],
    profile: 'tails',
    checkedAt: '2025-01-02T00:00:00.000Z',
  },
};

describe('page requests (content script side)', () => {
  it('accepts exactly the four requests', () => {
    expect(parsePageRequest(req('hello'))).toEqual(req('hello'));
    expect(parsePageRequest(req('status'))).toEqual(req('status'));
    expect(parsePageRequest(req('cancel'))).toEqual(req('cancel'));
    const f = file();
    expect(parsePageRequest(req('verify-file', { file: f }))).toMatchObject({ type: 'verify-file', file: f });
  });

  it('ignores any request that carries a hash, key, fingerprint or URL', () => {
    const trustLike = {
      sha256: 'a'.repeat(64),
      sha512: 'b'.repeat(128),
      hash: 'a'.repeat(64),
      key: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      fingerprint: 'F'.repeat(40),
      fingerprints: ['F'.repeat(40)],
      url: 'https://evil.example/latest.json',
      descriptionUrl: 'https://evil.example/latest.json',
      profile: { id: 'evil' },
      expected: { sha256: 'a'.repeat(64) },
    };
    for (const [field, value] of Object.entries(trustLike)) {
      expect(parsePageRequest(req('verify-file', { file: file(), [field]: value })), field).toBeUndefined();
      expect(parsePageRequest(req('hello', { [field]: value })), field).toBeUndefined();
      expect(parsePageRequest(req('status', { [field]: value })), field).toBeUndefined();
    }
  });

  it('ignores unknown types, wrong channels or directions, bad ids and missing or fake files', () => {
    for (const bad of [
      null,
      'hello',
      42,
      [],
      {},
      req('set-key'),
      req('get-state'),
      req('attach-verdict'),
      req('open-verify-page'),
      { ...req('hello'), channel: 'iso-verify/v2' },
      { ...req('hello'), direction: 'to-page' },
      { ...req('hello'), id: '' },
      { ...req('hello'), id: 'x'.repeat(65) },
      { ...req('hello'), id: 'a b' },
      { ...req('hello'), id: 7 },
      { channel: BRIDGE_CHANNEL, direction: 'to-extension', type: 'hello' },
      req('verify-file'),
      req('verify-file', { file: { name: 'tails-amd64-7.2.img', size: 4 } }),
      req('verify-file', { file: 'tails-amd64-7.2.img' }),
      req('cancel', { file: file() }),
    ]) {
      expect(parsePageRequest(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('accepts requests only from the same window, on exactly the official origin', () => {
    const win = { location: { origin: OFFICIAL } };
    const data = req('hello');
    expect(acceptPageRequest({ source: win, origin: OFFICIAL, data }, win, OFFICIAL)).toEqual(data);
    // Another window (a frame, an opener) or another origin: ignored.
    expect(acceptPageRequest({ source: {}, origin: OFFICIAL, data }, win, OFFICIAL)).toBeUndefined();
    expect(acceptPageRequest({ source: null, origin: OFFICIAL, data }, win, OFFICIAL)).toBeUndefined();
    for (const origin of [
      'https://evil.example',
      'http://tails.example',
      'https://tails.example:8443',
      'https://www.tails.example',
      'null',
      '',
    ]) {
      expect(acceptPageRequest({ source: win, origin, data }, win, OFFICIAL), origin).toBeUndefined();
    }
    // The content script somehow on another page of another origin: ignored even if the event says official.
    const elsewhere = { location: { origin: 'https://evil.example' } };
    expect(acceptPageRequest({ source: elsewhere, origin: OFFICIAL, data }, elsewhere, OFFICIAL)).toBeUndefined();
  });
});

describe('extension replies (widget side)', () => {
  it('round-trips every reply type', () => {
    const replies = [
      reply('a', 'hello', { extension: 'iso-verify', version: '0.1.0', profile: 'demo', product: 'Tails' }),
      reply('a', 'status', {
        downloads: [{ fileName: 'tails-amd64-7.2.img', phase: 'done', verdict: summarizeVerdict(verified) }],
      }),
      reply('a', 'progress', { progress: { bytes: 5, total: 10, rate: 2, etaSeconds: 3 } }),
      reply('a', 'verdict', { verdict: verified }),
      reply('a', 'error', { error: { code: 'aborted' } }),
    ];
    for (const r of replies) expect(parseExtensionReply(JSON.parse(JSON.stringify(r))), r.type).toEqual(r);
  });

  it('rejects malformed replies', () => {
    for (const bad of [
      {
        ...reply('a', 'hello', { extension: 'iso-verify', version: '0.1.0', profile: 'demo', product: 'Tails' }),
        direction: 'to-extension',
      },
      {
        ...reply('a', 'hello', { extension: 'iso-verify', version: '0.1.0', profile: 'demo', product: 'Tails' }),
        extension: 'other',
      },
      reply('a', 'verdict', { verdict: { ...verified, kind: 'great' } as unknown as Verdict }),
      reply('a', 'verdict', { verdict: { ...verified, evidence: undefined } as unknown as Verdict }),
      reply('a', 'error', { error: { code: 'no-such-code' as 'internal' } }),
      reply('a', 'progress', { progress: { bytes: -1, rate: 0 } }),
      {
        channel: BRIDGE_CHANNEL,
        direction: 'to-page',
        id: 'a',
        type: 'status',
        downloads: [{ fileName: 'x', phase: 'exploded', updatedAt: 'now' }],
      },
      { channel: BRIDGE_CHANNEL, direction: 'to-page', id: 'a', type: 'surprise' },
    ]) {
      expect(parseExtensionReply(bad), JSON.stringify(bad).slice(0, 100)).toBeUndefined();
    }
  });

  it('counts replies only from its own window and origin', () => {
    const win = { location: { origin: OFFICIAL } };
    const data = reply('a', 'error', { error: { code: 'aborted' } });
    expect(acceptExtensionReply({ source: win, origin: OFFICIAL, data }, win)).toEqual(data);
    expect(acceptExtensionReply({ source: {}, origin: OFFICIAL, data }, win)).toBeUndefined();
    expect(acceptExtensionReply({ source: win, origin: 'https://evil.example', data }, win)).toBeUndefined();
    expect(acceptExtensionReply({ source: win, origin: 'chrome-extension://abc', data }, win)).toBeUndefined();
  });
});

describe('what the page may learn from status', () => {
  const releaseOf = (name: string) => /^tails-amd64-([0-9.]+)\.(?:img|iso)$/.exec(name)?.[1];
  const secretFacts = {
    url: 'https://mirror.example/t.img',
    finalUrl: 'https://mirror.example/t.img',
    localPath: '/home/user/Downloads/tails-amd64-7.2.img',
    mirror: 'https://mirror.example/',
  };

  it("gives the widget's line only — file name, phase, verdict kind, and for verified the release and signature date", () => {
    const done = tracked({
      ...secretFacts,
      fileName: 'tails-amd64-7.2.img',
      phase: 'done',
      verdict: verified,
      startedAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:01:00Z',
    });
    const list = summarizeDownloads([done], releaseOf);
    expect(list).toEqual([
      {
        fileName: 'tails-amd64-7.2.img',
        phase: 'done',
        verdict: {
          kind: 'verified',
          product: 'Tails',
          version: '7.2',
          type: 'img',
          signatureTime: '2025-01-01T00:00:00.000Z',
        },
      },
    ]);
    const text = JSON.stringify(list);
    // No path, URL, mirror, hash, key, or time of the download.
    for (const secret of [
      'mirror.example',
      '/home/user',
      'a'.repeat(64),
      'F'.repeat(40),
      'tails.example',
      '2025-01-01T00:01',
      'updatedAt',
      'startedAt',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('a verdict other than verified is its kind alone (no reason, no release)', () => {
    const unverifiable = {
      ...verified,
      kind: 'unverifiable',
      reason: 'offline',
      error: { code: 'fetch-failed' },
    } as unknown as Verdict;
    expect(summarizeVerdict(unverifiable)).toEqual({ kind: 'unverifiable' });
  });

  it('is the newest download of the current release only: no other releases, no older downloads, no unknown files', () => {
    const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
    const older71 = tracked({
      id: 'dl-1',
      fileName: 'tails-amd64-7.1.img',
      phase: 'downloading',
      startedAt: at(50),
      updatedAt: at(50),
      receivedBytes: 5,
      totalBytes: 20,
    });
    const first72 = tracked({
      id: 'dl-2',
      fileName: 'tails-amd64-7.2.img',
      phase: 'cancelled',
      startedAt: at(10),
      updatedAt: at(59),
    });
    const second72 = tracked({
      id: 'dl-3',
      fileName: 'tails-amd64-7.2.iso',
      phase: 'downloading',
      startedAt: at(20),
      updatedAt: at(21),
      receivedBytes: 5,
      totalBytes: 20,
    });
    const other = tracked({
      id: 'dl-4',
      fileName: 'holiday.img',
      phase: 'downloading',
      startedAt: at(55),
      updatedAt: at(55),
    });
    expect(summarizeDownloads([older71, first72, second72, other], releaseOf)).toEqual([
      { fileName: 'tails-amd64-7.2.iso', phase: 'downloading', percent: 25 },
    ]);
    // Only 7.1 seen so far, but a verdict was checked against 7.2: 7.2 is current, and no 7.2 download exists.
    const wrong = tracked({
      id: 'dl-5',
      fileName: 'tails-amd64-7.1.img',
      phase: 'done',
      startedAt: at(1),
      verdict: { ...verified, kind: 'wrong-release', reason: 'older-version' } as unknown as Verdict,
    });
    expect(currentRelease([wrong], releaseOf)).toBe('7.2');
    expect(summarizeDownloads([wrong], releaseOf)).toEqual([]);
    expect(summarizeDownloads([], releaseOf)).toEqual([]);
  });

  it('shows a failed check as done without a verdict, the phase widgets already know', () => {
    const list = summarizeDownloads([tracked({ phase: 'failed', error: { code: 'fetch-failed' } })], releaseOf);
    expect(list).toEqual([{ fileName: 'tails-amd64-7.2.img', phase: 'done' }]);
    expect(
      parseExtensionReply({ channel: BRIDGE_CHANNEL, direction: 'to-page', id: 'r1', type: 'status', downloads: list }),
    ).toBeDefined();
  });

  it('the widget refuses a status with more than one download or with fields it never shows', () => {
    const one = { fileName: 'tails-amd64-7.2.img', phase: 'done' };
    const status = (downloads: unknown[]) =>
      parseExtensionReply({ channel: BRIDGE_CHANNEL, direction: 'to-page', id: 'r1', type: 'status', downloads });
    expect(status([one, one])).toBeUndefined();
    const parsed = status([
      { ...one, updatedAt: 'x', verdict: { kind: 'unverifiable', reason: 'offline', signer: 'F'.repeat(40) } },
    ]);
    expect(parsed).toMatchObject({
      downloads: [{ fileName: 'tails-amd64-7.2.img', phase: 'done', verdict: { kind: 'unverifiable' } }],
    });
    expect(JSON.stringify(parsed)).not.toMatch(/updatedAt|offline|FFFF/);
  });
});

describe('frame protocol', () => {
  it('is as strict as the page protocol', () => {
    expect(isFrameConnect({ channel: 'iso-verify-frame/v1', type: 'connect' })).toBe(true);
    expect(isFrameConnect({ channel: 'iso-verify-frame/v1', type: 'connect', key: 'x' })).toBe(false);
    const f = file();
    expect(parseFrameRequest({ type: 'verify-file', id: 'a', file: f })).toEqual({
      type: 'verify-file',
      id: 'a',
      file: f,
    });
    expect(parseFrameRequest({ type: 'cancel', id: 'a' })).toEqual({ type: 'cancel', id: 'a' });
    expect(parseFrameRequest({ type: 'verify-file', id: 'a', file: f, sha256: 'a'.repeat(64) })).toBeUndefined();
    expect(parseFrameRequest({ type: 'verify-file', id: 'a', file: 'x' })).toBeUndefined();
    expect(parseFrameRequest({ type: 'attach-verdict', id: 'a' })).toBeUndefined();
  });
});
