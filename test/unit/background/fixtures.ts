import type { Profile } from '../../../src/core/profile.js';
import type { Mirror } from '../../../src/core/release/types.js';
import type { DownloadFacts, TrackedDownload } from '../../../src/wire/download.js';
import type { Verdict, VerdictKind } from '../../../src/core/verdict.js';

export const profile: Pick<Profile, 'officialSite' | 'imagePattern'> = {
  officialSite: 'https://tails.net',
  imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
};

export const pool: Mirror[] = [
  { urlPrefix: 'https://mirror.example.org/tails/', weight: 5 },
  { urlPrefix: 'http://plain.example.net/pub/tails/', weight: 1 },
  { urlPrefix: 'https://off.example.com/tails/', weight: 0 },
];

/**
 * A tracked download in any phase: the overrides are taken as given (a test states the
 * phase and its fields), so a fixture can also be a record of an earlier layout.
 */
export function tracked(overrides: Partial<DownloadFacts> & Record<string, unknown> = {}): TrackedDownload {
  return {
    hashSource: 'file',
    id: 'dl-1',
    downloadId: 1,
    url: 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    finalUrl: 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    fileName: 'tails-amd64-7.2.img',
    mirror: 'https://mirror.example.org/tails/',
    startedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    phase: 'downloading',
    receivedBytes: 0,
    ...overrides,
  } as TrackedDownload;
}

const SHA = 'a'.repeat(64);
const expected = {
  product: 'Tails',
  version: '7.2',
  type: 'img' as const,
  name: 'tails-amd64-7.2.img',
  url: 'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
  size: 1000,
  sha256: SHA,
};

/** A structurally valid verdict of each kind (the fields every surface relies on). */
export function verdict(kind: VerdictKind): Verdict {
  const evidence = {
    file: { name: 'tails-amd64-7.2.img', size: 1000, sha256: SHA },
    signatures: [],
    inputs: [],
    profile: 'tails',
    checkedAt: '2025-01-01T00:00:00.000Z',
  };
  switch (kind) {
    case 'verified':
      return {
        kind,
        evidence,
        expected,
        signer: {
          primaryFingerprint: 'A'.repeat(40),
          signingKeyFingerprint: 'B'.repeat(40),
          signatureTime: '2025-01-01T00:00:00.000Z',
          over: 'image',
        },
      };
    case 'mismatch':
      return { kind, evidence, expected };
    case 'incomplete':
      return { kind, evidence, expected, missingBytes: 10 };
    case 'oversized':
      return { kind, evidence, expected, extraBytes: 10 };
    case 'wrong-release':
      return { kind, evidence, reason: 'older-version' };
    case 'unverifiable':
      return { kind, evidence, reason: 'offline', error: { code: 'fetch-failed' } };
    case 'checksum-only':
      return { kind, evidence, expected };
  }
}
