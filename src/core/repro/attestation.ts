/**
 * In-toto v0.9 link metadata as rebuilderd publishes it, verified against one pinned key:
 *
 *   {"signatures":[{"keyid":"<hex>","sig":"<hex Ed25519>"}…],
 *    "signed":{"_type":"link","name":"rebuild <file>","materials":{…},"products":{"<file>":{"sha256",…}},
 *              "environment":…,"byproducts":{…},"command":[…]}}
 *
 * A rebuilderd link carries two signatures (the build worker's and the rebuilder's own); only
 * the one whose keyid equals the pinned key's counts. Each signature with that keyid must verify
 * over the canonical JSON of `signed` (fail closed if any does not).
 */
import { fromHex } from '../bytes.js';
import { isObject } from '../guards.js';
import { IsoVerifyError } from '../errors.js';
import { LIMITS } from '../net/types.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { linkRelease } from './reproducer-link.js';
import type { RebuilderKey } from './keys.js';

/** Digests an attestation records for one file (lowercase hex). */
export interface ArtifactDigests {
  sha256?: string;
  sha512?: string;
}

export interface VerifiedAttestation {
  /** The link's step name; rebuilderd writes "rebuild <file>". */
  stepName: string;
  /** keyid of the pinned key whose signature verified. */
  keyId: string;
  /** Files the rebuild produced, by name. */
  products: Map<string, ArtifactDigests>;
  materials: Map<string, ArtifactDigests>;
  /** The product and version the link's `environment` names, if it names them (reproducer links do). */
  release: { product?: string; version?: string };
}

const HEX_DIGEST_LENGTH: Record<keyof ArtifactDigests, number> = { sha256: 64, sha512: 128 };
const KEYID_PATTERN = /^[0-9a-f]{64}$/;
const SIG_PATTERN = /^[0-9a-fA-F]{128}$/;
/** More signatures than this is not a rebuilderd link; bounds the verification work. */
const MAX_SIGNATURES = 16;

function malformed(detail: string): IsoVerifyError {
  return new IsoVerifyError('attestation-malformed', detail);
}

function parseArtifacts(value: unknown, field: string): Map<string, ArtifactDigests> {
  if (!isObject(value)) throw malformed(`signed.${field} is not an object`);
  const out = new Map<string, ArtifactDigests>();
  for (const [path, hashes] of Object.entries(value)) {
    if (!isObject(hashes)) throw malformed(`signed.${field}["${path}"] is not an object`);
    const digests: ArtifactDigests = {};
    for (const [algorithm, hex] of Object.entries(hashes)) {
      // Other algorithms may appear; they are covered by the signature but not used here.
      if (typeof hex !== 'string') throw malformed(`signed.${field}["${path}"].${algorithm} is not a string`);
      if (algorithm === 'sha256' || algorithm === 'sha512') {
        if (hex.length !== HEX_DIGEST_LENGTH[algorithm] || !/^[0-9a-fA-F]+$/.test(hex)) {
          throw malformed(`signed.${field}["${path}"].${algorithm} is not a ${algorithm} hex digest`);
        }
        digests[algorithm] = hex.toLowerCase();
      }
    }
    out.set(path, digests);
  }
  return out;
}

interface ParsedLink {
  signed: Record<string, unknown>;
  signatures: { keyid: string; sig: string }[];
  stepName: string;
  products: Map<string, ArtifactDigests>;
  materials: Map<string, ArtifactDigests>;
}

/** Parse and shape-check a link. Throws `attestation-malformed`. */
export function parseLink(bytes: Uint8Array): ParsedLink {
  if (bytes.length > LIMITS.attestation) throw malformed(`larger than ${LIMITS.attestation} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw malformed(`not UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(document)) throw malformed('top level is not an object');
  for (const key of Object.keys(document)) {
    if (key !== 'signatures' && key !== 'signed') throw malformed(`unexpected top-level field "${key}"`);
  }
  const { signatures, signed } = document;
  if (!Array.isArray(signatures)) throw malformed('signatures is not an array');
  if (signatures.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  const parsedSignatures = signatures.map((entry: unknown, i) => {
    if (!isObject(entry)) throw malformed(`signatures[${i}] is not an object`);
    const { keyid, sig } = entry;
    if (typeof keyid !== 'string' || !KEYID_PATTERN.test(keyid))
      throw malformed(`signatures[${i}].keyid is not a hex keyid`);
    if (typeof sig !== 'string' || !SIG_PATTERN.test(sig))
      throw malformed(`signatures[${i}].sig is not a hex Ed25519 signature`);
    return { keyid, sig };
  });
  if (!isObject(signed)) throw malformed('signed is not an object');
  if (signed._type !== 'link') throw malformed('signed._type is not "link"');
  if (typeof signed.name !== 'string') throw malformed('signed.name is not a string');
  if ('command' in signed && !Array.isArray(signed.command)) throw malformed('signed.command is not an array');
  if ('byproducts' in signed && !isObject(signed.byproducts)) throw malformed('signed.byproducts is not an object');
  if ('environment' in signed && signed.environment !== null && !isObject(signed.environment)) {
    throw malformed('signed.environment is neither an object nor null');
  }
  const products = parseArtifacts(signed.products, 'products');
  const materials = parseArtifacts(signed.materials ?? {}, 'materials');
  return { signed, signatures: parsedSignatures, stepName: signed.name, products, materials };
}

/**
 * Parse a link and verify the pinned key's signature on it.
 * Throws `attestation-malformed`, `attestation-unsigned` (no signature by the pinned key) or
 * `attestation-bad-signature`.
 */
export async function verifyAttestation(bytes: Uint8Array, key: RebuilderKey): Promise<VerifiedAttestation> {
  const link = parseLink(bytes);
  const mine = link.signatures.filter((s) => s.keyid === key.keyId);
  if (mine.length === 0) {
    const seen = link.signatures.map((s) => s.keyid.slice(0, 16)).join(', ') || 'none';
    throw new IsoVerifyError('attestation-unsigned', `no signature by key ${key.keyId} (signatures by: ${seen})`);
  }
  let message: Uint8Array;
  try {
    message = canonicalJsonBytes(link.signed);
  } catch (e) {
    throw malformed(`signed part cannot be canonicalised: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const signature of mine) {
    const ok = await crypto.subtle.verify(
      { name: 'Ed25519' },
      key.cryptoKey,
      fromHex(signature.sig) as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
    if (!ok) throw new IsoVerifyError('attestation-bad-signature', `signature by key ${key.keyId} does not verify`);
  }
  return {
    stepName: link.stepName,
    keyId: key.keyId,
    products: link.products,
    materials: link.materials,
    release: linkRelease(link.signed),
  };
}
