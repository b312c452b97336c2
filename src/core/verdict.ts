import type { ErrorInfo } from './errors.js';

/**
 * The one result every surface shows (docs/design.md "Verdicts"). Plain data only, so it can be
 * stored in extension storage, posted between worker/background/pages and printed as JSON.
 * Dates are ISO-8601 strings for the same reason.
 */

export type ImageType = 'iso' | 'img';

/** What was hashed: the user's file. */
export interface FileFacts {
  name: string;
  size: number;
  sha256: string; // lowercase hex
  sha512?: string;
}

/** What the release data says the file should be. */
export interface ExpectedFile {
  product: string;
  version: string;
  type: ImageType;
  name: string;
  url: string;
  size: number;
  sha256: string;
}

/** One OpenPGP signature that was checked, good or bad. */
export interface SignatureDetails {
  /** Which input the signature covered. */
  over: 'description' | 'image' | 'upgrade-description';
  good: boolean;
  /** Fingerprint of the pinned primary key, uppercase hex. */
  primaryFingerprint?: string;
  /** Fingerprint of the (sub)key that made the signature, uppercase hex. */
  signingKeyFingerprint?: string;
  /** Key ID from the signature packet (16 hex), known even when the key is not. */
  keyId?: string;
  signatureTime?: string;
  hashAlgorithm?: string;
  publicKeyAlgorithm?: string;
  /** Why it is not good (absent when good). */
  error?: ErrorInfo;
}

/** A piece of release data that was fetched or read, and what it was used for. */
export interface InputRecord {
  role: 'description' | 'description-signature' | 'image-signature' | 'upgrade-description'
    | 'upgrade-description-signature' | 'mirror-pool' | 'signing-key';
  source: string; // URL or path
  /** When it was obtained (ISO-8601). */
  fetchedAt?: string;
  bytes?: number;
  error?: ErrorInfo;
}

export interface Evidence {
  file: FileFacts;
  expected?: ExpectedFile;
  signatures: SignatureDetails[];
  inputs: InputRecord[];
  /** Profile id that defined what to trust. */
  profile: string;
  checkedAt: string;
}

export type UnverifiableReason =
  | 'offline' // release data could not be fetched
  | 'descriptor-invalid' // malformed or missing fields
  | 'descriptor-expired'
  | 'rollback'
  | 'signature-bad'
  | 'signature-unknown-key'
  | 'key-invalid' // expired, revoked, weak, not pinned
  | 'no-signature' // nothing signed, and no unsigned checksum matched either
  | 'hash-failed'; // the file could not be read

export type WrongReleaseReason = 'other-version' | 'older-version' | 'other-type' | 'other-product' | 'unknown-file';

interface VerdictBase {
  evidence: Evidence;
}

export type Verdict =
  | (VerdictBase & {
      kind: 'verified';
      expected: ExpectedFile;
      /** The signature(s) that made it verified; at least one is good. */
      signer: { primaryFingerprint: string; signingKeyFingerprint: string; signatureTime: string; over: SignatureDetails['over'] };
    })
  | (VerdictBase & { kind: 'mismatch'; expected: ExpectedFile })
  | (VerdictBase & { kind: 'incomplete'; expected: ExpectedFile; missingBytes: number })
  | (VerdictBase & { kind: 'oversized'; expected: ExpectedFile; extraBytes: number })
  | (VerdictBase & { kind: 'wrong-release'; reason: WrongReleaseReason; expected?: ExpectedFile })
  | (VerdictBase & { kind: 'unverifiable'; reason: UnverifiableReason; error: ErrorInfo })
  | (VerdictBase & {
      kind: 'checksum-only';
      expected: ExpectedFile;
      /** Why no signature could back the match. */
      error?: ErrorInfo;
    });

export type VerdictKind = Verdict['kind'];

export const VERDICT_KINDS: readonly VerdictKind[] = [
  'verified', 'mismatch', 'incomplete', 'oversized', 'wrong-release', 'unverifiable', 'checksum-only',
];

/** Verdicts that prove the file is not what the release describes (CLI exit 1). */
export function isProvenBad(kind: VerdictKind): boolean {
  return kind === 'mismatch' || kind === 'incomplete' || kind === 'oversized' || kind === 'wrong-release';
}

/** CLI exit status for a verdict: 0 verified, 1 proven not authentic, 2 could not verify. */
export function exitStatusFor(verdict: Verdict): 0 | 1 | 2 {
  if (verdict.kind === 'verified') return 0;
  if (isProvenBad(verdict.kind)) return 1;
  if (verdict.kind === 'unverifiable' && (verdict.reason === 'rollback' || verdict.reason === 'signature-bad')) return 1;
  return 2;
}
