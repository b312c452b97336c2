/**
 * Realistic verdicts, rebuilder statuses and downloads for the UI tests and the UI gallery.
 * Fingerprints are the real Tails ones (shared/fixtures/tails-2021/README.md); hashes are
 * plausible 64-hex values, not those of a real image.
 */
import type { TrackedDownload } from '../../../src/wire/download.js';
import type { ReproStatus } from '../../../src/core/repro/types.js';
import type { Evidence, ExpectedFile, SignatureDetails, Verdict } from '../../../src/core/verdict.js';

export const TAILS_PRIMARY = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
export const TAILS_SIGNING_ED25519 = 'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F';
export const RELEASE_SHA256 = '5f3e2b1c9a4d7e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0';
export const OTHER_SHA256 = '0c1d2e3f405162738495a6b7c8d9eaf0b1c2d3e4f5061728394a5b6c7d8e9f00';
export const IMG_SIZE = 1_561_427_968;

export const expectedImg: ExpectedFile = {
  product: 'Tails',
  version: '7.2',
  type: 'img',
  name: 'tails-amd64-7.2.img',
  url: 'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
  size: IMG_SIZE,
  sha256: RELEASE_SHA256,
};

const goodImageSignature: SignatureDetails = {
  over: 'image',
  good: true,
  primaryFingerprint: TAILS_PRIMARY,
  signingKeyFingerprint: TAILS_SIGNING_ED25519,
  keyId: '90B2B4BD7AED235F',
  signatureTime: '2025-11-18T14:02:11.000Z',
  hashAlgorithm: 'SHA-512',
  publicKeyAlgorithm: 'EdDSA',
};

const inputs: Evidence['inputs'] = [
  {
    role: 'description',
    source: 'https://tails.net/install/v2/Tails/amd64/stable/latest.json',
    fetchedAt: '2025-11-20T09:15:02.000Z',
    bytes: 1_214,
  },
  {
    role: 'image-signature',
    source: 'https://tails.net/torrents/files/tails-amd64-7.2.img.sig',
    fetchedAt: '2025-11-20T09:15:02.000Z',
    bytes: 228,
  },
  {
    role: 'signing-key',
    source: 'https://tails.net/tails-signing.key',
    fetchedAt: '2025-11-20T09:15:03.000Z',
    bytes: 1_318_114,
  },
];

/** `expected: undefined` leaves the expected file out (a verdict that found none). */
function evidence(
  overrides: Partial<Omit<Evidence, 'expected'>> & {
    expected?: ExpectedFile | undefined;
    size?: number;
    sha256?: string;
    name?: string;
  } = {},
): Evidence {
  const { size = IMG_SIZE, sha256 = RELEASE_SHA256, name = 'tails-amd64-7.2.img', expected, ...rest } = overrides;
  const withExpected = 'expected' in overrides ? expected : expectedImg;
  return {
    file: { name, size, sha256 },
    ...(withExpected ? { expected: withExpected } : {}),
    signatures: [goodImageSignature],
    inputs,
    profile: 'tails',
    checkedAt: '2025-11-20T09:15:41.000Z',
    ...rest,
  };
}

export const verdicts = {
  verified: {
    kind: 'verified',
    expected: expectedImg,
    signer: {
      primaryFingerprint: TAILS_PRIMARY,
      signingKeyFingerprint: TAILS_SIGNING_ED25519,
      signatureTime: goodImageSignature.signatureTime!,
      over: 'image',
    },
    // Tails' IMG: the image signature signs the bytes; no signature names the release.
    evidence: evidence({
      facts: { release: 'unsigned', reference: 'unsigned', bytes: 'image' },
      warnings: [{ code: 'signing-key-expires-soon', detail: `${TAILS_PRIMARY} can sign until 2027-01-13` }],
    }),
  },
  mismatch: { kind: 'mismatch', expected: expectedImg, evidence: evidence({ sha256: OTHER_SHA256 }) },
  incomplete: {
    kind: 'incomplete',
    expected: expectedImg,
    missingBytes: IMG_SIZE - 812_400_000,
    evidence: evidence({ size: 812_400_000, sha256: OTHER_SHA256 }),
  },
  oversized: {
    kind: 'oversized',
    expected: expectedImg,
    extraBytes: 4_096,
    evidence: evidence({ size: IMG_SIZE + 4_096, sha256: OTHER_SHA256 }),
  },
  'wrong-release': {
    kind: 'wrong-release',
    reason: 'older-version',
    expected: expectedImg,
    evidence: evidence({ name: 'tails-amd64-6.19.img', size: 1_498_001_408, sha256: OTHER_SHA256, signatures: [] }),
  },
  unverifiable: {
    kind: 'unverifiable',
    reason: 'offline',
    error: {
      code: 'fetch-failed',
      detail: 'https://tails.net/install/v2/Tails/amd64/stable/latest.json: network error',
    },
    evidence: evidence({
      expected: undefined,
      signatures: [],
      inputs: [
        {
          role: 'description',
          source: 'https://tails.net/install/v2/Tails/amd64/stable/latest.json',
          error: { code: 'fetch-failed', detail: 'network error' },
        },
      ],
    }),
  },
  'checksum-only': {
    kind: 'checksum-only',
    expected: expectedImg,
    error: { code: 'signature-missing', detail: 'https://tails.net/torrents/files/tails-amd64-7.2.img.sig: HTTP 404' },
    evidence: evidence({
      signatures: [],
      inputs: [
        inputs[0]!,
        {
          role: 'image-signature',
          source: 'https://tails.net/torrents/files/tails-amd64-7.2.img.sig',
          error: { code: 'fetch-http-status', detail: 'HTTP 404' },
        },
      ],
    }),
  },
} satisfies Record<Verdict['kind'], Verdict>;

/** A bad signature, to show a failed signature in the evidence. */
export const signatureBadVerdict: Verdict = {
  kind: 'unverifiable',
  reason: 'signature-bad',
  error: { code: 'signature-bad', detail: 'image signature by 90B2B4BD7AED235F' },
  evidence: evidence({
    sha256: OTHER_SHA256,
    signatures: [
      { ...goodImageSignature, good: false, error: { code: 'signature-bad', detail: 'hash prefix mismatch' } },
    ],
  }),
};

const rebuilderBase = { baseUrl: 'https://rebuilder.example.org', keyId: 'a'.repeat(64) };

export const repro = {
  met: {
    fileName: 'tails-amd64-7.2.img',
    threshold: 2,
    reproducedBy: 2,
    anyMismatch: false,
    met: true,
    checkedAt: '2025-11-20T09:15:44.000Z',
    rebuilders: [
      {
        ...rebuilderBase,
        name: 'rebuilder.riseup.example',
        keyId: '1'.repeat(64),
        state: 'reproduced',
        attestedSha256: RELEASE_SHA256,
        date: '2025-11-18T20:31:00.000Z',
        buildLogUrl: 'https://rebuilder.riseup.example/api/v1/builds/4411/log',
      },
      {
        ...rebuilderBase,
        name: 'reproducible.torproject.example',
        keyId: '2'.repeat(64),
        state: 'reproduced',
        attestedSha256: RELEASE_SHA256,
        date: '2025-11-19T02:10:00.000Z',
        buildLogUrl: 'https://reproducible.torproject.example/log/7.2',
      },
      { ...rebuilderBase, name: 'rebuild.ccc.example', keyId: '3'.repeat(64), state: 'pending' },
    ],
  },
  notYet: {
    fileName: 'tails-amd64-7.2.img',
    threshold: 2,
    reproducedBy: 0,
    anyMismatch: false,
    met: false,
    checkedAt: '2025-11-20T09:15:44.000Z',
    rebuilders: [
      {
        ...rebuilderBase,
        name: 'rebuilder.riseup.example',
        keyId: '1'.repeat(64),
        state: 'pending',
        reason: 'not-rebuilt-yet',
        detail: 'not rebuilt yet',
      },
      {
        ...rebuilderBase,
        name: 'reproducible.torproject.example',
        keyId: '2'.repeat(64),
        state: 'unreachable',
        reason: 'error',
        error: { code: 'fetch-timeout', detail: 'no answer within 20000 ms' },
        detail: 'fetch-timeout: no answer within 20000 ms',
      },
    ],
  },
  mismatch: {
    fileName: 'tails-amd64-7.2.img',
    threshold: 2,
    reproducedBy: 1,
    anyMismatch: true,
    met: false,
    checkedAt: '2025-11-20T09:15:44.000Z',
    rebuilders: [
      {
        ...rebuilderBase,
        name: 'rebuilder.riseup.example',
        keyId: '1'.repeat(64),
        state: 'reproduced',
        attestedSha256: RELEASE_SHA256,
        date: '2025-11-18T20:31:00.000Z',
      },
      {
        ...rebuilderBase,
        name: 'reproducible.torproject.example',
        keyId: '2'.repeat(64),
        state: 'mismatch',
        attestedSha256: OTHER_SHA256,
        date: '2025-11-19T02:10:00.000Z',
        buildLogUrl: 'javascript:alert(1)',
      },
    ],
  },
  none: {
    fileName: 'tails-amd64-7.2.img',
    threshold: 1,
    thresholdSource: 'profile',
    reproducedBy: 0,
    distinctKeys: 0,
    enoughReproducers: false,
    anyMismatch: false,
    met: false,
    checkedAt: '2025-11-20T09:15:44.000Z',
    rebuilders: [],
  },
  /** The person requires 3, but only 2 distinct keys are configured (one of them theirs). */
  notEnough: {
    fileName: 'tails-amd64-7.2.img',
    threshold: 3,
    thresholdSource: 'person',
    reproducedBy: 2,
    distinctKeys: 2,
    enoughReproducers: false,
    anyMismatch: false,
    met: false,
    checkedAt: '2025-11-20T09:15:44.000Z',
    rebuilders: [
      {
        ...rebuilderBase,
        name: 'rebuilder.riseup.example',
        kind: 'rebuilderd',
        source: 'profile',
        keyId: '1'.repeat(64),
        state: 'reproduced',
        attestedSha256: RELEASE_SHA256,
        date: '2025-11-18T20:31:00.000Z',
      },
      {
        name: 'Alice',
        baseUrl: 'https://alice.example/attestations',
        kind: 'static',
        source: 'person',
        keyId: '4'.repeat(64),
        state: 'reproduced',
        attestedSha256: RELEASE_SHA256,
        attestationUrl: 'https://alice.example/attestations/Tails/7.2/tails-amd64-7.2.img.link',
      },
    ],
  },
} satisfies Record<string, ReproStatus>;

const downloadBase = {
  url: 'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
  finalUrl: 'https://mirror.example.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
  fileName: 'tails-amd64-7.2.img',
  mirror: 'https://mirror.example.net/tails/',
  totalBytes: IMG_SIZE,
  hashSource: 'file' as const,
};

export const downloads: TrackedDownload[] = [
  {
    ...downloadBase,
    id: 'dl-3',
    downloadId: 3,
    startedAt: '2025-11-20T09:10:00.000Z',
    updatedAt: '2025-11-20T09:12:00.000Z',
    phase: 'downloading',
    receivedBytes: 702_000_000,
    progress: { bytes: 702_000_000, total: IMG_SIZE, rate: 11_400_000, etaSeconds: 75.4 },
  },
  {
    ...downloadBase,
    id: 'dl-2',
    downloadId: 2,
    startedAt: '2025-11-20T08:00:00.000Z',
    updatedAt: '2025-11-20T08:05:00.000Z',
    phase: 'done',
    receivedBytes: IMG_SIZE,
    verdict: verdicts.verified,
    repro: repro.met,
  },
  {
    ...downloadBase,
    id: 'dl-1',
    downloadId: 1,
    startedAt: '2025-11-19T18:00:00.000Z',
    updatedAt: '2025-11-19T18:01:00.000Z',
    phase: 'interrupted',
    receivedBytes: 412_000_000,
  },
];

export const hashingProgress = { bytes: 905_000_000, total: IMG_SIZE, rate: 612_000_000, etaSeconds: 1.07 };

/** The fixtures' clock: 10:00 UTC on the day the downloads above started. */
export const FIXTURE_NOW = Date.parse('2025-11-20T10:00:00.000Z');

/**
 * Three downloads of `tails-amd64-7.2.img` from the same mirror (issue #25): a verified one, a
 * short one the browser called complete, and one with other bytes — told apart by when they
 * started, their size and the start of their SHA-256.
 */
export const sameNameDownloads: TrackedDownload[] = [
  {
    ...downloadBase,
    id: 'dl-23',
    downloadId: 23,
    startedAt: '2025-11-20T09:41:00.000Z',
    updatedAt: '2025-11-20T09:44:00.000Z',
    phase: 'done',
    receivedBytes: IMG_SIZE,
    verdict: verdicts.verified,
  },
  {
    ...downloadBase,
    id: 'dl-22',
    downloadId: 22,
    startedAt: '2025-11-20T09:32:00.000Z',
    updatedAt: '2025-11-20T09:35:00.000Z',
    phase: 'done',
    receivedBytes: 812_400_000,
    canResume: false,
    verdict: {
      ...verdicts.incomplete,
      evidence: {
        ...verdicts.incomplete.evidence,
        file: {
          ...verdicts.incomplete.evidence.file,
          sha256: 'a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8',
        },
      },
    },
  },
  {
    ...downloadBase,
    id: 'dl-21',
    downloadId: 21,
    startedAt: '2025-11-19T17:05:00.000Z',
    updatedAt: '2025-11-19T17:09:00.000Z',
    phase: 'done',
    receivedBytes: IMG_SIZE,
    verdict: verdicts.mismatch,
    alternativeUrl: 'https://mirror2.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
  },
];
