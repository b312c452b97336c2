/**
 * Step 2 of verification: a pure decision from the fetched release data, the file's hashes and
 * the trust state to one Verdict (docs/design.md "Trust model", "Verdicts").
 *
 * Order, and why:
 *  a. Pinned keyring (+ a refresh merged into the pinned primary key; a failed refresh is
 *     recorded, not fatal: the shipped key still works).
 *  b. No description → unverifiable 'offline'.
 *  c. If the profile declares a description signature it MUST verify, checked over the raw
 *     bytes BEFORE they are interpreted. Then the description is parsed ('descriptor-invalid'),
 *     its product/channel/architecture checked, its age and its freshness (no rollback).
 *  d. The file name must be one of the profile's images and be listed → else 'wrong-release'.
 *  e. Size first (incomplete / oversized), then sha256 (mismatch).
 *  f. Equal hash: 'verified' only with a good signature by a pinned key — the description's,
 *     or the image's own signature checked against the streamed hash. A bad image signature
 *     makes it unverifiable (fail closed); when no signature could be checked at all the
 *     verdict is 'checksum-only', never 'verified'. Freshness is recorded only on 'verified'.
 *
 * A corrupt trust state makes this throw `input-malformed` (fail closed, nothing is reset).
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../errors.js';
import { checkFreshness, recordFreshness, type FreshnessRecord, type TrustState } from '../freshness.js';
import type { HashAlgorithm, Hasher } from '../hash/types.js';
import { verifyDetachedFromHash, type PinnedKeyring } from '../openpgp/index.js';
import type { Profile } from '../profile.js';
import type {
  Evidence,
  ExpectedFile,
  FileFacts,
  InputRecord,
  SignatureDetails,
  UnverifiableReason,
  Verdict,
} from '../verdict.js';
import { lookupFile } from './expected-file.js';
import { parseImageFileName } from './file-name.js';
import type { FetchedInput, ReleaseMaterial } from './material.js';
import { checkDescription } from './description.js';
import { isBadSignature, isUnknownKey, reasonForSignature, signatureError } from './signature-outcome.js';

export interface DecideInput {
  profile: Profile;
  material: ReleaseMaterial;
  /** The user's file: base name, size and lowercase hex digests. */
  file: FileFacts;
  /** Unfinished hashers over exactly the file's bytes (HashResult.continuations), for the image signature. */
  continuations: Partial<Record<HashAlgorithm, Hasher>>;
  trustState: TrustState;
  now?: Date | undefined;
}

export async function decideVerdict(input: DecideInput): Promise<Verdict> {
  const { profile, material, trustState } = input;
  const now = input.now ?? new Date();
  const file = checkedFileFacts(input.file);
  const inputs = collectInputs(material);
  const evidence: Evidence = { file, signatures: [], inputs, profile: profile.id, checkedAt: now.toISOString() };
  const unverifiable = (reason: UnverifiableReason, error: ErrorInfo): Verdict => ({ kind: 'unverifiable', reason, error, evidence });

  // a–c. Keyring, description signature (when declared), parsing, target, age, rollback.
  const checked = await checkDescription({ profile, material, trustState, now });
  evidence.signatures.push(...checked.signatures);
  if (checked.keyRefreshError) {
    const record = inputs.find((r) => r.role === 'signing-key' && r.source === material.keyRefresh?.record.source);
    if (record) record.error = checked.keyRefreshError;
  }
  if (!checked.ok) return unverifiable(checked.reason, checked.error);
  const { keyring, description, release, stateKey } = checked.trusted;
  const descriptionSignature = checked.trusted.signature;

  // d. Which file of the release the user has.
  const parsedName = parseImageFileName(profile, file.name);
  if (!parsedName) return { kind: 'wrong-release', reason: 'unknown-file', evidence };
  const lookup = lookupFile(description, file.name, parsedName);
  if (!lookup.found) {
    if (lookup.current) evidence.expected = lookup.current;
    return lookup.current
      ? { kind: 'wrong-release', reason: lookup.reason, expected: lookup.current, evidence }
      : { kind: 'wrong-release', reason: lookup.reason, evidence };
  }
  const expected = lookup.expected;
  evidence.expected = expected;

  // e. Size, then hash.
  if (file.size < expected.size) return { kind: 'incomplete', expected, missingBytes: expected.size - file.size, evidence };
  if (file.size > expected.size) return { kind: 'oversized', expected, extraBytes: file.size - expected.size, evidence };
  if (file.sha256 !== expected.sha256) return { kind: 'mismatch', expected, evidence };

  // f. Same bytes as described: who vouches for them?
  const imageSignature = await checkImageSignature(material.imageSignature, keyring, input.continuations, now);
  if (imageSignature) evidence.signatures.push(imageSignature);

  if (descriptionSignature) {
    // The image signature is a second, independent check here: if it was made by a pinned key
    // and contradicts the bytes, something is badly wrong, so fail closed.
    if (imageSignature && !imageSignature.good && isBadSignature(imageSignature.error)) {
      return unverifiable('signature-bad', signatureError(imageSignature));
    }
    return finishVerified(descriptionSignature, { version: release, signatureTime: descriptionSignature.signatureTime! });
  }

  if (!imageSignature) {
    return { kind: 'checksum-only', expected, error: material.imageSignature?.record.error ?? noImageSignature(profile), evidence };
  }
  if (!imageSignature.good) {
    const error = signatureError(imageSignature);
    if (isUnknownKey(error)) return { kind: 'checksum-only', expected, error, evidence };
    return unverifiable(reasonForSignature(error), error);
  }
  const candidate = { version: expected.version, signatureTime: imageSignature.signatureTime ?? '' };
  const fresh = await checkFreshness(trustState, stateKey, candidate);
  if (!fresh.ok) return unverifiable('rollback', errorInfo(fresh.error));
  return finishVerified(imageSignature, candidate);

  async function finishVerified(signature: SignatureDetails, record: FreshnessRecord): Promise<Verdict> {
    const { primaryFingerprint, signingKeyFingerprint, signatureTime } = signature;
    if (!primaryFingerprint || !signingKeyFingerprint || !signatureTime || !Number.isFinite(Date.parse(signatureTime))) {
      return unverifiable('signature-bad', { code: 'internal', detail: 'a good signature without signer details' });
    }
    await recordFreshness(trustState, stateKey, record);
    return {
      kind: 'verified',
      expected: expected as ExpectedFile,
      signer: { primaryFingerprint, signingKeyFingerprint, signatureTime, over: signature.over },
      evidence,
    };
  }
}

/** Verify the image signature against the streamed hash, or undefined when there is none to check. */
async function checkImageSignature(
  fetched: FetchedInput | undefined,
  keyring: PinnedKeyring,
  continuations: Partial<Record<HashAlgorithm, Hasher>>,
  now: Date,
): Promise<SignatureDetails | undefined> {
  const sigBytes = fetched?.bytes;
  if (!sigBytes) return undefined;
  return checkSignature(() => verifyDetachedFromHash(keyring, sigBytes, continuations ?? {}, { over: 'image', now }), 'image');
}

/** Signature checks report failures in their result; anything thrown still becomes a not-good result. */
async function checkSignature(run: () => Promise<SignatureDetails>, over: SignatureDetails['over']): Promise<SignatureDetails> {
  try {
    return await run();
  } catch (error) {
    return { over, good: false, error: errorInfo(error) };
  }
}

function noImageSignature(profile: Profile): ErrorInfo {
  return { code: 'signature-missing', detail: `profile ${profile.id} has neither a description signature nor an image signature` };
}

function collectInputs(material: ReleaseMaterial): InputRecord[] {
  const all = [material.description, material.descriptionSignature, material.imageSignature, material.keyRefresh, ...material.extraKeys];
  return all.filter((i): i is FetchedInput => i !== undefined).map((i) => ({ ...i.record }));
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** The caller's facts about the file, normalised; nonsense here is a programming error. */
function checkedFileFacts(file: FileFacts): FileFacts {
  const sha256 = typeof file?.sha256 === 'string' ? file.sha256.toLowerCase() : '';
  if (typeof file?.name !== 'string' || file.name === '') throw new IsoVerifyError('input-invalid-value', 'file name missing');
  if (!Number.isSafeInteger(file.size) || file.size < 0) throw new IsoVerifyError('input-invalid-value', `file size ${String(file.size)}`);
  if (!HEX64.test(sha256)) throw new IsoVerifyError('input-invalid-value', 'file sha256 is not 64 hex digits');
  const facts: FileFacts = { name: file.name, size: file.size, sha256 };
  if (file.sha512 !== undefined) {
    const sha512 = String(file.sha512).toLowerCase();
    if (!HEX128.test(sha512)) throw new IsoVerifyError('input-invalid-value', 'file sha512 is not 128 hex digits');
    facts.sha512 = sha512;
  }
  return facts;
}
