import { createMessage, enums, type PublicKey, type SignaturePacket, type Subkey } from 'openpgp';
import { isIsoVerifyError, type ErrorCode } from '../errors.js';
import type { HashAlgorithm, Hasher } from '../hash/types.js';
import type { SignatureDetails } from '../verdict.js';
import { upperHex } from './fingerprint.js';
import { assertKeyring, freshCopy, primaryFingerprint, type PinnedKeyring } from './keyring.js';
import { reason } from './material.js';
import {
  checkKeyAlgorithm,
  checkSignatureAlgorithms,
  describeKeyAlgorithm,
  hashAlgorithmName,
  MAX_FUTURE_SKEW_MS,
  OPENPGP_CONFIG,
  type KeyAlgorithmFacts,
  type PolicyViolation,
} from './policy.js';
import {
  describeSignaturePacket,
  readDetachedSignature,
  signaturePacketsOf,
  type ParsedSignature,
} from './signature.js';
import { checkSigningKeyAt } from './signing-key.js';
import { v4HashedTrailer } from './trailer.js';

export interface VerifyOptions {
  /** Which input the signature covers (copied into the result). */
  over: SignatureDetails['over'];
  /** The current time, for the "signature in the future" and signature-expiry checks. */
  now?: Date;
}

/**
 * Verify a detached signature over bytes in memory (release data: latest.json, upgrades.yml).
 * Never throws for bad, unknown or unacceptable signatures: the result says why (`error`).
 */
export async function verifyDetached(
  keyring: PinnedKeyring,
  data: Uint8Array,
  signature: string | Uint8Array | ParsedSignature,
  options: VerifyOptions,
): Promise<SignatureDetails> {
  if (!(data instanceof Uint8Array)) throw new TypeError('verifyDetached: data must be a Uint8Array');
  return evaluate(keyring, signature, options, {
    async verify(packet, signer) {
      const message = await createMessage({ binary: data });
      const literal = message.packets.findPacket(enums.packet.literalData);
      if (!literal) throw new Error('openpgp.js did not build a literal data packet');
      // openpgp.js hashes the data (canonicalising line ends for text signatures), appends the
      // trailer and checks the RSA/EdDSA/ECDSA signature. Times are checked by us, at signature time.
      await packet.verify(signer, packet.signatureType!, literal, packet.created!, true, OPENPGP_CONFIG);
    },
  });
}

/**
 * Verify a detached signature over a large file from its streaming hash. `continuations` hold
 * hashers fed with exactly the file's bytes and not finished; the one matching the signature's
 * hash is cloned, the v4 trailer appended, and the digest handed to openpgp.js for the
 * public-key check. Only v4 binary signatures qualify (v6 signatures hash a salt BEFORE the
 * data, text signatures hash canonicalised line ends): others give `signature-unsupported`.
 */
export async function verifyDetachedFromHash(
  keyring: PinnedKeyring,
  signature: string | Uint8Array | ParsedSignature,
  continuations: Partial<Record<HashAlgorithm, Hasher>>,
  options: VerifyOptions,
): Promise<SignatureDetails> {
  if (!continuations || typeof continuations !== 'object')
    throw new TypeError('verifyDetachedFromHash: continuations must be an object');
  return evaluate(keyring, signature, options, {
    precheck(packet) {
      if (packet.version !== 4) {
        return {
          code: 'signature-unsupported',
          detail: `a v${packet.version} signature cannot be checked against a pre-computed file hash`,
        };
      }
      if (packet.signatureType !== enums.signature.binary) {
        return {
          code: 'signature-unsupported',
          detail: 'only binary signatures can be checked against a pre-computed file hash',
        };
      }
      const algorithm = streamingAlgorithm(packet.hashAlgorithm!);
      if (!algorithm || !continuations[algorithm]) {
        return {
          code: 'signature-unsupported',
          detail: `no ${hashAlgorithmName(packet.hashAlgorithm!)} hash of the file was computed`,
        };
      }
      return null;
    },
    async verify(packet, signer) {
      const hasher = continuations[streamingAlgorithm(packet.hashAlgorithm!)!]!.clone();
      hasher.update(packet.signatureData!);
      hasher.update(v4HashedTrailer(packet.signatureData!.length));
      const digest = hasher.digest();
      const expected = packet.signedHashValue!;
      if (digest[0] !== expected[0] || digest[1] !== expected[1]) {
        throw new Error("the file hash does not match the signature's digest prefix");
      }
      // `hashed` is how openpgp.js itself verifies streamed one-pass signatures
      // (OnePassSignaturePacket.verify sets it on the corresponding signature): when present,
      // SignaturePacket.verify skips hashing and checks the public-key signature over it.
      // The packet is a private copy (signaturePacketsOf re-reads it), so this cannot leak.
      (packet as SignaturePacket & { hashed?: Uint8Array }).hashed = digest;
      await packet.verify(signer, packet.signatureType!, {}, packet.created!, true, OPENPGP_CONFIG);
    },
  });
}

function streamingAlgorithm(hashAlgorithm: number): HashAlgorithm | null {
  if (hashAlgorithm === enums.hash.sha256) return 'sha256';
  if (hashAlgorithm === enums.hash.sha512) return 'sha512';
  return null;
}

interface Strategy {
  /** A reason this signature cannot be checked this way, before any key is looked at. */
  precheck?(packet: SignaturePacket): PolicyViolation | null;
  /** Throw when the signature does not verify over the data. */
  verify(packet: SignaturePacket, signer: PublicKey['keyPacket'] | Subkey['keyPacket']): Promise<void>;
}

interface Issuer {
  key: PublicKey;
  component: PublicKey | Subkey;
}

/**
 * The steps shared by both routes. A file may carry several signatures: every one made by a
 * pinned key is checked, and all of them must be good and allowed by the policy (GnuPG, too,
 * refuses a file holding a bad signature by the key). Signatures by other keys are ignored
 * unless there is nothing else. The result never depends on the order of the signatures.
 */
async function evaluate(
  keyring: PinnedKeyring,
  signature: string | Uint8Array | ParsedSignature,
  options: VerifyOptions,
  strategy: Strategy,
): Promise<SignatureDetails> {
  assertKeyring(keyring);
  if (!options || !['description', 'image', 'upgrade-description'].includes(options.over)) {
    throw new TypeError('options.over must be description, image or upgrade-description');
  }
  const now = options.now ?? new Date();
  let packets: SignaturePacket[];
  try {
    const parsed = isParsed(signature) ? signature : await readDetachedSignature(signature);
    packets = await signaturePacketsOf(parsed);
  } catch (error) {
    if (isIsoVerifyError(error))
      return { over: options.over, good: false, error: { code: error.code, detail: error.detail ?? error.message } };
    throw error;
  }

  const pinned = packets.flatMap((packet) => {
    const issuer = findIssuer(keyring, packet);
    return issuer ? [{ packet, issuer }] : [];
  });
  if (pinned.length === 0) return evaluatePacket(packets[0]!, null, options.over, now, strategy);
  const results: SignatureDetails[] = [];
  for (const { packet, issuer } of pinned)
    results.push(await evaluatePacket(packet, issuer, options.over, now, strategy));
  return decisive(results);
}

/** Severity of a failure: a signature that contradicts the data outranks every policy refusal. */
function failureRank(result: SignatureDetails): number {
  return result.error?.code === 'signature-bad' ? 0 : 1;
}

/** The one result that stands for the whole file, chosen by content, not position. */
function decisive(results: SignatureDetails[]): SignatureDetails {
  const key = (r: SignatureDetails) =>
    `${r.signatureTime ?? ''}|${r.signingKeyFingerprint ?? ''}|${r.error?.code ?? ''}|${r.hashAlgorithm ?? ''}`;
  const byContent = [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const failures = byContent.filter((r) => !r.good).sort((a, b) => failureRank(a) - failureRank(b));
  if (failures.length > 0) {
    const first = failures[0]!;
    if (results.length === 1) return first;
    const detail = `${first.error?.detail ?? first.error?.code ?? 'not good'} (${failures.length} of ${results.length} signatures by the pinned key are not good)`;
    return { ...first, error: { code: first.error?.code ?? 'signature-bad', detail } };
  }
  return byContent[byContent.length - 1]!; // all good: report the newest
}

/** One signature packet, in policy order; the first violation decides. */
async function evaluatePacket(
  packet: SignaturePacket,
  issuer: Issuer | null,
  over: SignatureDetails['over'],
  now: Date,
  strategy: Strategy,
): Promise<SignatureDetails> {
  const details: SignatureDetails = { over, good: false };
  const fail = (code: ErrorCode, detail: string): SignatureDetails => ({
    ...details,
    good: false,
    error: { code, detail },
  });
  const described = describeSignaturePacket(packet);
  details.keyId = described.keyId;
  details.signatureTime = described.created.toISOString();
  details.hashAlgorithm = described.hashAlgorithm;
  details.publicKeyAlgorithm = described.publicKeyAlgorithm;

  const algorithms = checkSignatureAlgorithms(packet.signatureType!, packet.hashAlgorithm!, described.hashAlgorithm);
  if (algorithms) return fail(algorithms.code, algorithms.detail);
  const unsupported = strategy.precheck?.(packet);
  if (unsupported) return fail(unsupported.code, unsupported.detail);

  if (!issuer) {
    const who = described.issuerFingerprint ?? described.keyId;
    return fail('signature-unknown-key', `signed by ${who}, which is not part of a pinned key`);
  }
  const key = await freshCopy(issuer.key);
  const component = key.getKeys().find((k) => k.getFingerprint() === issuer.component.getFingerprint())!;
  details.primaryFingerprint = primaryFingerprint(key);
  details.signingKeyFingerprint = upperHex(component.getFingerprint());
  details.publicKeyAlgorithm = describeKeyAlgorithm(algorithmFacts(component));

  // RFC 9580 5.2.3: v6 signatures are made by v6 keys, v4 signatures by v4 keys.
  if (packet.version !== component.keyPacket.version) {
    return fail(
      'signature-unsupported',
      `a v${packet.version} signature made by a v${component.keyPacket.version} key`,
    );
  }
  const weakPrimary = checkKeyAlgorithm(algorithmFacts(key), packet.hashAlgorithm!, 'primary key');
  if (weakPrimary) return fail(weakPrimary.code, weakPrimary.detail);
  const weakSigner = checkKeyAlgorithm(algorithmFacts(component), packet.hashAlgorithm!, 'signing key');
  if (weakSigner) return fail(weakSigner.code, weakSigner.detail);
  if (packet.publicKeyAlgorithm !== component.keyPacket.algorithm) {
    return fail('signature-bad', "the signature's algorithm does not match its issuer key");
  }

  try {
    await strategy.verify(packet, component.keyPacket);
  } catch (error) {
    return fail('signature-bad', reason(error));
  }

  // Signed times decide: the key is judged at the signature's time, whatever the clock says.
  const created = packet.created!;
  const keyViolation = await checkSigningKeyAt(key, component, created);
  if (keyViolation) return fail(keyViolation.code, keyViolation.detail);

  // A good signature "from the future" means this computer's clock is behind (GnuPG: "time warp
  // or clock problem", not good): could not verify, naming the clock and both dates — never red.
  if (created.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return fail(
      'signature-in-future',
      `the signature was made ${created.toISOString()}, but this computer's clock says ${now.toISOString()}`,
    );
  }
  const expires = packet.getExpirationTime();
  if (expires !== Infinity && now >= expires) {
    return fail('signature-expired', `the signature expired ${(expires as Date).toISOString()}`);
  }

  return { ...details, good: true };
}

function isParsed(signature: string | Uint8Array | ParsedSignature): signature is ParsedSignature {
  return (
    typeof signature === 'object' && signature !== null && !(signature instanceof Uint8Array) && 'source' in signature
  );
}

/**
 * The pinned key and component (primary or subkey) that issued the signature, by exact key ID
 * (never openpgp.js's wildcard matching) and, when the signature names one, by fingerprint.
 */
function findIssuer(keyring: PinnedKeyring, packet: SignaturePacket): Issuer | null {
  const keyId = packet.issuerKeyID.toHex();
  const fingerprint = packet.issuerFingerprint ? toHex(packet.issuerFingerprint) : null;
  if (/^0+$/.test(keyId) && !fingerprint) return null;
  for (const key of keyring.keys) {
    for (const component of key.getKeys()) {
      const matchesId = component.getKeyID().toHex() === keyId;
      const matchesFingerprint = fingerprint !== null && component.getFingerprint() === fingerprint;
      if (fingerprint !== null ? matchesFingerprint && (matchesId || /^0+$/.test(keyId)) : matchesId) {
        return { key, component };
      }
    }
  }
  return null;
}

function algorithmFacts(component: PublicKey | Subkey): KeyAlgorithmFacts {
  const info = component.getAlgorithmInfo();
  const facts: KeyAlgorithmFacts = { algorithm: component.keyPacket.algorithm };
  if (info.bits !== undefined) facts.bits = info.bits;
  if (info.curve !== undefined) facts.curve = info.curve;
  return facts;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
