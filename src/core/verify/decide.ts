/**
 * THE decision (docs/design.md "Trust model", "Verdicts"): from the release material, the hash of
 * the user's file and the trust state (read only) to one Verdict plus the rollback records to
 * store. Every surface — CLI verify and repro, the mirror check, the extension background, the
 * website widget — calls `decide`; the caller persists `trustUpdates` (recordDecision).
 *
 * Only signed facts decide:
 *  a. Pinned keyring (+ a refresh merged into the pinned primary key), the description's
 *     signature when the profile declares one, parsing, target, age, rollback (description.ts).
 *  b. Which published file the user has: by name (a browser's " (1)" suffix is understood) when
 *     the name's own image signature verifies; otherwise by SIGNED content only (an ISO saved
 *     under an .img name is still the ISO: its own signature verifies over the bytes, or a signed
 *     description/upgrade description lists its size and SHA-256); else by name. An unsigned
 *     entry never re-identifies a file (#20).
 *  c. The reference (version, size, SHA-256) comes from a signature when one covers it: the
 *     signed description, or the previous release's signed upgrade description (Tails' ISO).
 *     Otherwise it is the unsigned description's, and is never called signed.
 *  d. Signed reference: size, then SHA-256 decide (incomplete / oversized / mismatch are proof).
 *     Unsigned reference: the image's own signature by a pinned key decides. A good one proves
 *     the bytes whatever the unsigned description says (a disagreement is a warning); a bad one
 *     proves they are not the signed bytes; the unsigned size and SHA-256 then only classify
 *     the file (interrupted download or other bytes). An unreadable signature is "could not
 *     verify", never proof.
 *  e. Rollback records hold signed facts only (freshness.ts).
 *
 * A corrupt trust state makes this throw `input-malformed` (fail closed, nothing is reset).
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../errors.js';
import {
  checkFreshness,
  type FreshnessRecord,
  type StoredSigningKey,
  type TrustState,
  type TrustStateReader,
} from '../freshness.js';
import type { HashAlgorithm, HashResult, Hasher } from '../hash/types.js';
import { verifyDetached, verifyDetachedFromHash, type PinnedKeyring } from '../openpgp/index.js';
import type { Profile } from '../profile.js';
import { urlBasename } from '../release/fields.js';
import type { ImageDescription } from '../release/types.js';
import { parseUpgradeDescription } from '../release/udf.js';
import type {
  Evidence,
  ExpectedFile,
  FactSource,
  FileFacts,
  InputRecord,
  SignatureDetails,
  UnverifiableReason,
  Verdict,
  VerdictWarning,
} from '../verdict.js';
import { checkDescription } from './description.js';
import { keyLifeWarnings, newerKeyOutcome } from './key-life.js';
import { lookupFile } from './expected-file.js';
import { parseImageFileName, type ImageFileName } from './file-name.js';
import type { FetchedInput, ReleaseMaterial, UpgradeDescriptionInput } from './material.js';
import { isBadSignature, isUnknownKey, isUnreadable, reasonForSignature, signatureError } from './signature-outcome.js';

/** What hashing the user's file produced (HashResult from any engine). */
export type HashedFile = Pick<HashResult, 'bytes' | 'digests' | 'continuations'>;

export interface DecisionInput {
  profile: Profile;
  material: ReleaseMaterial;
  /** The file's name as saved. */
  fileName: string;
  hash: HashedFile;
  /** Rollback records, read only: the decision says what to store (Decision.trustUpdates). */
  trustState: TrustStateReader;
  now?: Date | undefined;
}

export interface TrustUpdate {
  key: string;
  record: FreshnessRecord;
}

export interface Decision {
  verdict: Verdict;
  /** Rollback records to store; only a `verified` verdict has any. */
  trustUpdates: TrustUpdate[];
  /** The refreshed signing key to keep (TrustState.putSigningKey), after a refresh merged in this check. */
  keyUpdate?: { id: string; key: StoredSigningKey };
}

/** Store a decision's rollback records and refreshed key (the one writer of a trust state calls this). */
export async function recordDecision(state: TrustState, decision: Decision): Promise<void> {
  for (const update of decision.trustUpdates) await state.put(update.key, update.record);
  if (decision.keyUpdate && state.putSigningKey)
    await state.putSigningKey(decision.keyUpdate.id, decision.keyUpdate.key);
}

export interface Candidate {
  expected: ExpectedFile;
  source: FactSource;
  /** The upgrade description's signature, for source 'upgrade-description'. */
  signature?: SignatureDetails;
  input?: UpgradeDescriptionInput;
}

export async function decide(input: DecisionInput): Promise<Decision> {
  const { profile, material, trustState } = input;
  const now = input.now ?? new Date();
  const file = fileFacts(input.fileName, input.hash);
  const inputs = collectInputs(material);
  const warnings: VerdictWarning[] = [];
  const evidence: Evidence = { file, signatures: [], inputs, profile: profile.id, checkedAt: now.toISOString() };
  let keyStatus: Awaited<ReturnType<typeof checkDescription>>['keyStatus'] = undefined;
  const done = (verdict: Verdict, trustUpdates: TrustUpdate[] = []): Decision => {
    // The key's life, judged after every signature was read: the clock only explains.
    if (keyStatus) warnings.push(...keyWarnings);
    if (warnings.length > 0) verdict.evidence.warnings = warnings;
    return keyStatus?.keep ? { verdict, trustUpdates, keyUpdate: keyStatus.keep } : { verdict, trustUpdates };
  };
  let keyWarnings: VerdictWarning[] = [];
  const unverifiable = (reason: UnverifiableReason, error: ErrorInfo) =>
    done({ kind: 'unverifiable', reason, error, evidence });
  const unverifiableSignature = async (error: ErrorInfo): Promise<Decision> => {
    const newer = keyStatus ? newerKeyOutcome(error, evidence.signatures, keyStatus) : undefined;
    keyWarnings = keyStatus ? await keyLifeWarnings(keyStatus, evidence.signatures, now) : [];
    return unverifiable(reasonForSignature(newer ?? error), newer ?? error);
  };

  // a. Keyring, description signature (when declared), parsing, target, age, rollback.
  const checked = await checkDescription({ profile, material, trustState, now });
  keyStatus = checked.keyStatus;
  if (keyStatus) keyWarnings = await keyLifeWarnings(keyStatus, checked.signatures, now);
  evidence.signatures.push(...checked.signatures);
  warnings.push(...checked.warnings);
  if (checked.keyRefreshError) {
    const record = inputs.find((r) => r.role === 'signing-key' && r.source === material.keyRefresh?.record.source);
    if (record) record.error = checked.keyRefreshError;
  }
  if (!checked.ok) {
    if (checked.signatures.length > 0 && !checked.signatures.at(-1)!.good) return unverifiableSignature(checked.error);
    return unverifiable(checked.reason, checked.error);
  }
  const { keyring, description, release, stateKey } = checked.trusted;
  const descriptionSignature = checked.trusted.signature;
  const descriptionSource: FactSource = descriptionSignature ? 'description' : 'unsigned';

  // c. The second signed source: earlier releases' upgrade descriptions (Tails' ISO).
  const upgrades = await signedUpgradeFiles(profile, material.upgradeDescriptions, keyring, now);

  // b. Which published file this is (#20). The name's own image signature is always tried
  // first: when it verifies over these bytes, the file is the one its name says. Otherwise only
  // SIGNED facts may say it is another published file: a signed candidate of the same size and
  // SHA-256 (the signed description, an earlier release's signed upgrade description), or the
  // other image type's signature verifying over these bytes. An unsigned entry never
  // re-identifies a file, and a signature that does not verify over the bytes proves nothing
  // about which file it is.
  const parsedName = parseImageFileName(profile, file.name);
  if (parsedName?.renamedCopy) {
    warnings.push({
      code: 'renamed-copy',
      detail: `${file.name} is ${parsedName.name}, renamed by the browser because that name existed`,
    });
  }
  const published = publishedFiles(description, descriptionSource);
  const sibling = material.siblingImageSignature;
  const ownSignature = parsedName
    ? await checkImageSignature(material.imageSignature, keyring, input.hash.continuations, now)
    : undefined;
  const reidentified =
    parsedName && !ownSignature?.good
      ? await identifyBySignedContent({
          profile,
          description,
          descriptionSource,
          file,
          parsedName,
          candidates: descriptionSignature ? [...published, ...upgrades] : upgrades,
          sibling,
          keyring,
          continuations: input.hash.continuations,
          now,
        })
      : undefined;
  let chosen: Candidate | undefined;
  let imageSignature: SignatureDetails | undefined;
  let imageSignatureInput: FetchedInput | undefined;
  if (reidentified) {
    chosen = reidentified.candidate;
    warnings.push({
      code: 'saved-under-other-name',
      detail: `${file.name} ${reidentified.how}: it is that file, saved under another name`,
    });
    // Its own signature, when it is the other image type's (never the name's, which does not verify over these bytes).
    if (sibling && chosen.expected.name === sibling.fileName) {
      imageSignatureInput = sibling.input;
      inputs.push({ ...sibling.input.record });
      imageSignature =
        reidentified.siblingSignature ??
        (await checkImageSignature(sibling.input, keyring, input.hash.continuations, now));
    }
  } else {
    if (!parsedName) return done({ kind: 'wrong-release', reason: 'unknown-file', evidence });
    imageSignatureInput = material.imageSignature;
    imageSignature = ownSignature;
    // A signed description is the reference; upgrade descriptions only stand in for an unsigned one.
    chosen = descriptionSignature
      ? undefined
      : upgrades.find((c) => c.expected.name === parsedName.name && c.expected.version === parsedName.version);
    const lookup = lookupFile(description, parsedName.name, parsedName);
    if (
      !chosen &&
      !lookup.found &&
      !descriptionSignature &&
      ownSignature?.good &&
      (lookup.reason === 'unknown-file' || lookup.reason === 'other-type')
    ) {
      // The release's own version, and the pinned key signed these bytes under this name: an
      // unsigned description that does not list the file cannot unname it (#20).
      warnings.push({
        code: 'unsigned-description-differs',
        detail: `the unsigned description does not list ${parsedName.name}; its own signature by the pinned key covers these bytes`,
      });
      chosen = {
        expected: {
          product: description.product,
          version: parsedName.version,
          type: parsedName.type,
          name: parsedName.name,
          url: parsedName.name,
          size: file.size,
          sha256: file.sha256,
        },
        source: 'unsigned',
      };
    }
    if (!chosen) {
      if (!lookup.found) {
        evidence.facts = { release: descriptionSource, reference: descriptionSource };
        if (lookup.current) evidence.expected = lookup.current;
        return done(
          lookup.current
            ? { kind: 'wrong-release', reason: lookup.reason, expected: lookup.current, evidence }
            : { kind: 'wrong-release', reason: lookup.reason, evidence },
        );
      }
      chosen = { expected: lookup.expected, source: descriptionSource };
    } else if (
      lookup.found &&
      (lookup.expected.sha256 !== chosen.expected.sha256 || lookup.expected.size !== chosen.expected.size)
    ) {
      warnings.push({
        code: 'unsigned-description-differs',
        detail: `the unsigned description lists ${lookup.expected.size} bytes, SHA-256 ${lookup.expected.sha256} for ${parsedName.name}; the signed upgrade description ${chosen.expected.size} bytes, SHA-256 ${chosen.expected.sha256}`,
      });
    }
  }
  const expected = chosen.expected;
  evidence.expected = expected;
  if (chosen.signature) evidence.signatures.push(chosen.signature);
  if (chosen.input) inputs.push({ ...chosen.input.description.record }, { ...chosen.input.signature.record });
  const facts = { release: chosen.source, reference: chosen.source } as NonNullable<Evidence['facts']>;
  evidence.facts = facts;
  const sameBytes = file.size === expected.size && file.sha256 === expected.sha256;

  // The image's own signature, for the file it turned out to be.
  if (imageSignature) evidence.signatures.push(imageSignature);
  if (imageSignature?.good) facts.bytes = 'image';
  if (keyStatus) keyWarnings = await keyLifeWarnings(keyStatus, evidence.signatures, now);

  const classify = (): Decision => {
    if (file.size < expected.size)
      return done({ kind: 'incomplete', expected, missingBytes: expected.size - file.size, evidence });
    if (file.size > expected.size)
      return done({ kind: 'oversized', expected, extraBytes: file.size - expected.size, evidence });
    return done({ kind: 'mismatch', expected, evidence });
  };
  const imageKey = `${stateKey}/image-signature/${expected.type}`;

  // d. A signed reference: size and hash decide.
  if (chosen.source !== 'unsigned') {
    if (!sameBytes) return classify();
    if (
      imageSignature &&
      !imageSignature.good &&
      (isBadSignature(imageSignature.error) || isUnreadable(imageSignature.error))
    ) {
      // A second, independent check that contradicts the bytes (or cannot be read): fail closed.
      return unverifiableSignature(signatureError(imageSignature));
    }
    if (chosen.source === 'description') {
      facts.bytes = facts.bytes ?? 'description';
      return finishVerified(descriptionSignature!, [
        { key: stateKey, record: { version: release, signatureTime: descriptionSignature!.signatureTime! } },
      ]);
    }
    // Upgrade description: version, size and hash are signed.
    if (imageSignature?.good) {
      return guardedVerified(imageSignature, imageKey, {
        version: expected.version,
        signatureTime: imageSignature.signatureTime!,
      });
    }
    facts.bytes = 'upgrade-description';
    const udf = chosen.signature!;
    return guardedVerified(udf, `${stateKey}/upgrade-description`, {
      version: expected.version,
      signatureTime: udf.signatureTime!,
    });
  }

  // d. An unsigned reference: the image signature decides.
  if (imageSignature?.good) {
    if (!sameBytes) {
      warnings.push({
        code: 'unsigned-description-differs',
        detail: `the unsigned description lists ${expected.size} bytes, SHA-256 ${expected.sha256}; the signed file has ${file.size} bytes, SHA-256 ${file.sha256}`,
      });
    }
    return guardedVerified(imageSignature, imageKey, { signatureTime: imageSignature.signatureTime! });
  }
  if (imageSignature) {
    const error = signatureError(imageSignature);
    if (isBadSignature(error)) return sameBytes ? unverifiable('signature-bad', error) : classify();
    if (isUnreadable(error)) return unverifiable('signature-unreadable', error);
    if (!sameBytes) return classify();
    if (isUnknownKey(error) && !(keyStatus && newerKeyOutcome(error, evidence.signatures, keyStatus))) {
      return done({ kind: 'checksum-only', expected, error, evidence });
    }
    return unverifiableSignature(error);
  }
  if (!sameBytes) return classify();
  return done({
    kind: 'checksum-only',
    expected,
    error: imageSignatureInput?.record.error ?? noImageSignature(profile),
    evidence,
  });

  async function guardedVerified(
    signature: SignatureDetails,
    key: string,
    candidate: FreshnessRecord,
  ): Promise<Decision> {
    const fresh = await checkFreshness(trustState, key, candidate);
    if (!fresh.ok) return unverifiable('rollback', errorInfo(fresh.error));
    return finishVerified(signature, [{ key, record: candidate }]);
  }

  function finishVerified(signature: SignatureDetails, trustUpdates: TrustUpdate[]): Decision {
    const { primaryFingerprint, signingKeyFingerprint, signatureTime } = signature;
    if (
      !primaryFingerprint ||
      !signingKeyFingerprint ||
      !signatureTime ||
      !Number.isFinite(Date.parse(signatureTime))
    ) {
      return unverifiable('signature-bad', { code: 'internal', detail: 'a good signature without signer details' });
    }
    return done(
      {
        kind: 'verified',
        expected,
        signer: { primaryFingerprint, signingKeyFingerprint, signatureTime, over: signature.over },
        evidence,
      },
      trustUpdates,
    );
  }
}

interface SignedIdentification {
  candidate: Candidate;
  /** How the file was recognised, for the warning ("has the size and SHA-256", …). */
  how: string;
  /** The other image type's signature, when it is what recognised the file (good). */
  siblingSignature?: SignatureDetails;
}

/**
 * The published file these bytes are, by signed facts only, when the name's own signature does
 * not verify over them: a signed candidate (signed description, signed upgrade description) of
 * the same size, SHA-256 and version under another name; else the other image type's signature
 * verifying over these bytes. Undefined when nothing signed says so.
 */
async function identifyBySignedContent(args: {
  profile: Profile;
  description: ImageDescription;
  descriptionSource: FactSource;
  file: FileFacts;
  parsedName: ImageFileName;
  candidates: Candidate[];
  sibling: ReleaseMaterial['siblingImageSignature'];
  keyring: PinnedKeyring;
  continuations: Partial<Record<HashAlgorithm, Hasher>>;
  now: Date;
}): Promise<SignedIdentification | undefined> {
  const { file, parsedName, sibling } = args;
  const byContent = args.candidates.find(
    (c) =>
      c.expected.size === file.size &&
      c.expected.sha256 === file.sha256 &&
      c.expected.version === parsedName.version &&
      c.expected.name !== parsedName.name,
  );
  if (byContent) return { candidate: byContent, how: `has the signed size and SHA-256 of ${byContent.expected.name}` };
  if (!sibling) return undefined;
  const siblingSignature = await checkImageSignature(sibling.input, args.keyring, args.continuations, args.now);
  if (!siblingSignature?.good) return undefined;
  const siblingName = parseImageFileName(args.profile, sibling.fileName);
  if (!siblingName || siblingName.version !== parsedName.version) return undefined;
  const lookup = lookupFile(args.description, sibling.fileName, siblingName);
  // The signature proves the bytes; what the (unsigned) description lists for that name only explains.
  const expected: ExpectedFile = lookup.found
    ? lookup.expected
    : {
        product: args.description.product,
        version: siblingName.version,
        type: siblingName.type,
        name: sibling.fileName,
        url: sibling.fileName,
        size: file.size,
        sha256: file.sha256,
      };
  return {
    candidate: { expected, source: args.descriptionSource },
    how: `is what the pinned key's signature of ${sibling.fileName} covers`,
    siblingSignature,
  };
}

/** Every file the description lists, with where its facts come from. */
function publishedFiles(description: ImageDescription, source: FactSource): Candidate[] {
  const out: Candidate[] = [];
  for (const installation of description.installations) {
    for (const path of installation.paths) {
      for (const f of path.files) {
        const name = urlBasename(f.url);
        if (!name) continue;
        out.push({
          expected: {
            product: description.product,
            version: installation.version,
            type: path.type,
            name,
            url: f.url,
            size: f.size,
            sha256: f.sha256,
          },
          source,
        });
      }
    }
  }
  return out;
}

/**
 * The ISO images named by upgrade descriptions whose signature by a pinned key is good and
 * which are for this profile's product, channel and architecture. Anything else is ignored:
 * this source can only add signed facts, never take a decision away.
 */
export async function signedUpgradeFiles(
  profile: Profile,
  udfs: UpgradeDescriptionInput[],
  keyring: PinnedKeyring,
  now: Date,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const udf of udfs) {
    const bytes = udf.description.bytes;
    const sigBytes = udf.signature.bytes;
    if (!bytes || !sigBytes) continue;
    let signature: SignatureDetails;
    try {
      signature = await verifyDetached(keyring, bytes, sigBytes, { over: 'upgrade-description', now });
    } catch {
      continue;
    }
    if (!signature.good) continue;
    let parsed;
    try {
      parsed = parseUpgradeDescription(bytes);
    } catch {
      continue;
    }
    if (
      parsed.product !== profile.product ||
      parsed.channel !== profile.channel ||
      parsed.buildTarget !== profile.architecture
    )
      continue;
    for (const upgrade of parsed.upgrades) {
      for (const path of upgrade.paths) {
        if (path.type !== 'full') continue;
        for (const f of path.files) {
          const name = urlBasename(f.url);
          const named = name ? parseImageFileName(profile, name) : undefined;
          if (!name || !named || named.type !== 'iso' || named.version !== upgrade.version) continue;
          out.push({
            expected: {
              product: parsed.product,
              version: upgrade.version,
              type: 'iso',
              name,
              url: f.url,
              size: f.size,
              sha256: f.sha256,
            },
            source: 'upgrade-description',
            signature,
            input: udf,
          });
        }
      }
    }
  }
  return out;
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
  try {
    return await verifyDetachedFromHash(keyring, sigBytes, continuations ?? {}, { over: 'image', now });
  } catch (error) {
    return { over: 'image', good: false, error: errorInfo(error) };
  }
}

function noImageSignature(profile: Profile): ErrorInfo {
  return {
    code: 'signature-missing',
    detail: `profile ${profile.id} has neither a description signature nor an image signature`,
  };
}

function collectInputs(material: ReleaseMaterial): InputRecord[] {
  const all = [
    material.description,
    material.descriptionSignature,
    material.imageSignature,
    material.keyRefresh,
    ...material.extraKeys,
  ];
  return all.filter((i): i is FetchedInput => i !== undefined).map((i) => ({ ...i.record }));
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** The one conversion from a hash result to the file's facts; nonsense here is a programming error. */
export function fileFacts(name: string, hash: HashedFile): FileFacts {
  const sha256 = typeof hash?.digests?.sha256 === 'string' ? hash.digests.sha256.toLowerCase() : '';
  if (typeof name !== 'string' || name === '') throw new IsoVerifyError('input-invalid-value', 'file name missing');
  if (!Number.isSafeInteger(hash?.bytes) || hash.bytes < 0)
    throw new IsoVerifyError('input-invalid-value', `file size ${String(hash?.bytes)}`);
  if (!HEX64.test(sha256)) throw new IsoVerifyError('input-invalid-value', 'file sha256 is not 64 hex digits');
  const facts: FileFacts = { name, size: hash.bytes, sha256 };
  if (hash.digests.sha512 !== undefined) {
    const sha512 = String(hash.digests.sha512).toLowerCase();
    if (!HEX128.test(sha512)) throw new IsoVerifyError('input-invalid-value', 'file sha512 is not 128 hex digits');
    facts.sha512 = sha512;
  }
  return facts;
}
