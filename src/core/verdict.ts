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
  role:
    | 'description'
    | 'description-signature'
    | 'image-signature'
    | 'upgrade-description'
    | 'upgrade-description-signature'
    | 'mirror-pool'
    | 'signing-key';
  source: string; // URL or path
  /** When it was obtained (ISO-8601). */
  fetchedAt?: string;
  bytes?: number;
  error?: ErrorInfo;
}

/**
 * Which signature vouches for a fact (DESIGN.md "Only signed facts decide"): the signed image
 * description, the previous release's signed upgrade description, the image's own signature
 * — or nothing ('unsigned', e.g. Tails' latest.json).
 */
export type FactSource = 'description' | 'upgrade-description' | 'image' | 'unsigned';

export interface FactSources {
  /** The release version and file name of `expected`. */
  release: FactSource;
  /** The size and SHA-256 of `expected`. */
  reference: FactSource;
  /** The user's bytes: which signature covers them, when one does. */
  bytes?: Exclude<FactSource, 'unsigned'>;
}

export type WarningCode =
  | 'unsigned-description-differs' // a good signature proves the bytes; the unsigned description says otherwise
  | 'signing-key-expires-soon' // the pinned key or every signing subkey expires within 60 days, and there is no refresh (update ISO Verify)
  | 'signing-key-not-refreshed' // the same, but the refresh could not be fetched: connect so it can be refreshed
  | 'clock-past-key-expiry' // the clock is past the end of the known key's signing: the clock is wrong, or the key needs a refresh
  | 'saved-under-other-name' // e.g. the ISO image saved under an .img name
  | 'renamed-copy'; // the browser added " (1)" because the name existed

/** Shown with the verdict; never the reason for it. `detail` is plain text from the core. */
export interface VerdictWarning {
  code: WarningCode;
  detail?: string;
  /** The key's-end warnings: until when the known key can sign (ISO 8601), shown beside the clock. */
  until?: string;
}

export interface Evidence {
  file: FileFacts;
  expected?: ExpectedFile;
  /** Which signature vouches for each fact the verdict used (absent when none was reached). */
  facts?: FactSources;
  warnings?: VerdictWarning[];
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
  | 'signature-unreadable' // a signature file that cannot be parsed: could not verify, not forgery
  | 'signature-unknown-key'
  | 'signature-newer-key' // signed by a key newer than this copy of the pinned key: refresh or update
  | 'clock-wrong' // the good signature was made after this computer's clock: the clock is behind
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
      signer: {
        primaryFingerprint: string;
        signingKeyFingerprint: string;
        signatureTime: string;
        over: SignatureDetails['over'];
      };
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
  'verified',
  'mismatch',
  'incomplete',
  'oversized',
  'wrong-release',
  'unverifiable',
  'checksum-only',
];

/** Verdicts that prove the file is not what the release describes (CLI exit 1). */
export function isProvenBad(kind: VerdictKind): boolean {
  return kind === 'mismatch' || kind === 'incomplete' || kind === 'oversized' || kind === 'wrong-release';
}

/**
 * Is a not-verified verdict PROVEN, i.e. resting on a signed fact? A size or hash compared with
 * a signed reference, or a pinned-key image signature that the bytes contradict, proves it; a
 * comparison with unsigned data only explains what the file probably is.
 */
export function isProven(verdict: Verdict): boolean {
  if (verdict.kind === 'unverifiable') return verdict.reason === 'rollback' || verdict.reason === 'signature-bad';
  if (!isProvenBad(verdict.kind)) return false;
  const facts = verdict.evidence.facts;
  const badImageSignature = verdict.evidence.signatures.some(
    (s) => s.over === 'image' && !s.good && s.error?.code === 'signature-bad',
  );
  // A name that is no image of the profile at all has no facts; "not listed" by an unsigned description proves nothing (#20).
  if (verdict.kind === 'wrong-release') return !facts || facts.release !== 'unsigned' || badImageSignature;
  return !facts || facts.reference !== 'unsigned' || badImageSignature;
}

/**
 * The three classes every surface shows a verdict in: `verified`; `not-authentic`, proven by a
 * signed fact (a size or hash against a signed reference, a bad signature by a pinned key, a
 * rollback); `unverified`, nothing signed decided (could not verify, or only unsigned data
 * explains what the file probably is). Colours, badges and the CLI's exit status follow it.
 */
export type VerdictClass = 'verified' | 'not-authentic' | 'unverified';

export function verdictClass(verdict: Verdict): VerdictClass {
  if (verdict.kind === 'verified') return 'verified';
  return isProven(verdict) ? 'not-authentic' : 'unverified';
}

/** CLI exit status for a verdict: 0 verified, 1 proven not authentic, 2 could not verify. */
export function exitStatusFor(verdict: Verdict): 0 | 1 | 2 {
  return EXIT_STATUS[verdictClass(verdict)];
}

const EXIT_STATUS: Record<VerdictClass, 0 | 1 | 2> = { verified: 0, 'not-authentic': 1, unverified: 2 };
