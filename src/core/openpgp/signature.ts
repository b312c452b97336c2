import { readSignature, SignaturePacket, type Signature } from 'openpgp';
import { IsoVerifyError } from '../errors.js';
import { upperHex } from './fingerprint.js';
import { classifyInput, reason } from './material.js';
import {
  hashAlgorithmName,
  MAX_SIGNATURE_BYTES,
  OPENPGP_CONFIG,
  publicKeyAlgorithmName,
  signatureTypeName,
} from './policy.js';

/** What a detached signature says about itself, before any key is consulted. */
export interface ParsedSignature {
  /** Packet version: 4 (RFC 4880) or 6 (RFC 9580). */
  version: number;
  /** Issuer key ID, 16 uppercase hex digits (all zeros when the signature names none). */
  keyId: string;
  /** Issuer fingerprint subpacket, uppercase hex, when present. */
  issuerFingerprint?: string;
  created: Date;
  hashAlgorithm: 'sha256' | 'sha384' | 'sha512' | 'sha224' | 'sha1' | 'md5' | string;
  publicKeyAlgorithm: string;
  signatureType: 'binary' | 'text' | string;
  /**
   * Internal handle: a private copy of the input. Verification re-reads packets from it every
   * time, so no parsed (and possibly mutated) openpgp.js state is shared between calls.
   * When the input held several signature packets, the fields above describe the first.
   */
  readonly source: string | Uint8Array;
}

/** Parse an armored or binary detached signature. Throws `signature-malformed` / `signature-unsupported`. */
export async function readDetachedSignature(sig: string | Uint8Array): Promise<ParsedSignature> {
  const source = typeof sig === 'string' ? sig : sig instanceof Uint8Array ? sig.slice() : sig;
  const packets = await parseSignaturePackets(source);
  return Object.freeze({ ...describeSignaturePacket(packets[0]!), source });
}

/** Fresh signature packets from a ParsedSignature (see `source` above). */
export async function signaturePacketsOf(parsed: ParsedSignature): Promise<SignaturePacket[]> {
  if (typeof parsed.source !== 'string' && !(parsed.source instanceof Uint8Array)) {
    throw new TypeError('not a ParsedSignature from readDetachedSignature()');
  }
  return parseSignaturePackets(parsed.source);
}

export function describeSignaturePacket(packet: SignaturePacket): Omit<ParsedSignature, 'source'> {
  const described: Omit<ParsedSignature, 'source'> = {
    version: packet.version,
    keyId: upperHex(packet.issuerKeyID.toHex()),
    created: new Date(packet.created!.getTime()),
    hashAlgorithm: hashAlgorithmName(packet.hashAlgorithm!),
    publicKeyAlgorithm: publicKeyAlgorithmName(packet.publicKeyAlgorithm!),
    signatureType: signatureTypeName(packet.signatureType!),
  };
  if (packet.issuerFingerprint) described.issuerFingerprint = toHex(packet.issuerFingerprint);
  return described;
}

async function parseSignaturePackets(sig: string | Uint8Array): Promise<SignaturePacket[]> {
  const input = classifyInput(sig, MAX_SIGNATURE_BYTES, 'signature-malformed', 'signature');
  let signature: Signature;
  try {
    signature =
      'armored' in input
        ? await readSignature({ armoredSignature: input.armored, config: OPENPGP_CONFIG })
        : await readSignature({ binarySignature: input.binary, config: OPENPGP_CONFIG });
  } catch (cause) {
    // openpgp.js marks packet versions it does not implement (v3, v5) with UnsupportedError.
    const code =
      cause instanceof Error && cause.name === 'UnsupportedError' ? 'signature-unsupported' : 'signature-malformed';
    throw new IsoVerifyError(code, `cannot read the signature: ${reason(cause)}`, { cause });
  }
  const packets = [...signature.packets].filter((p): p is SignaturePacket => p instanceof SignaturePacket);
  if (packets.length === 0) {
    // Unsupported packets (e.g. v3 signatures) are skipped by the parser rather than thrown.
    throw new IsoVerifyError(
      'signature-unsupported',
      'no signature packet that this tool can read (e.g. a v3 signature)',
    );
  }
  for (const p of packets) {
    if (
      p.created === null ||
      p.hashAlgorithm === null ||
      p.publicKeyAlgorithm === null ||
      p.signatureType === null ||
      p.signedHashValue === null
    ) {
      throw new IsoVerifyError('signature-malformed', 'signature packet lacks a required field');
    }
  }
  return packets;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex.toUpperCase();
}
