/**
 * A first look at key material before openpgp.js parses it: only the packet framing (RFC 9580
 * 4.2) is read, to count and size packets. A refresh from the site is untrusted input; a key
 * padded with thousands of self-certified user IDs made each check take 8–41 s (issue #20).
 * Real keys are far below these limits (Tails' key, with 2,242 third-party signatures: 2 user
 * IDs, 15 subkeys).
 */
import { unarmor } from 'openpgp';
import { IsoVerifyError } from '../errors.js';
import { reason } from './material.js';
import { OPENPGP_CONFIG } from './policy.js';

export interface KeyMaterialLimits {
  /** Primary keys (public or secret key packets). */
  keys: number;
  /** User ID and user attribute packets. */
  userIds: number;
  userIdBytes: number;
  subkeys: number;
  signatures: number;
  signatureBytes: number;
}

/** What a key refresh (or any key material) may hold at most. */
export const KEY_MATERIAL_LIMITS: KeyMaterialLimits = Object.freeze({
  keys: 16,
  userIds: 32,
  userIdBytes: 2048,
  subkeys: 64,
  signatures: 10_000,
  signatureBytes: 16 * 1024,
});

const TAG = {
  signature: 2,
  secretKey: 5,
  publicKey: 6,
  secretSubkey: 7,
  userId: 13,
  publicSubkey: 14,
  userAttribute: 17,
} as const;

/** Throws `key-refresh-too-large` when `material` holds more than `limits` allow; `key-malformed` when its framing is broken. */
export async function checkKeyMaterialLimits(
  material: { armored: string } | { binary: Uint8Array },
  what: string,
  limits: KeyMaterialLimits = KEY_MATERIAL_LIMITS,
): Promise<void> {
  let bytes: Uint8Array;
  if ('armored' in material) {
    try {
      const { data } = await unarmor(material.armored, OPENPGP_CONFIG);
      bytes = data instanceof Uint8Array ? data : await collect(data as ReadableStream<Uint8Array>);
    } catch (cause) {
      throw new IsoVerifyError('key-malformed', `${what}: ${reason(cause)}`, { cause });
    }
  } else {
    bytes = material.binary;
  }
  const counts = { keys: 0, userIds: 0, subkeys: 0, signatures: 0 };
  const tooMany = (detail: string) => new IsoVerifyError('key-refresh-too-large', `${what}: ${detail}`);
  for (let at = 0; at < bytes.length;) {
    const header = bytes[at]!;
    if ((header & 0x80) === 0) throw new IsoVerifyError('key-malformed', `${what}: no packet at byte ${at}`);
    let tag: number;
    let length: number;
    let start: number;
    if (header & 0x40) {
      tag = header & 0x3f;
      const first = bytes[at + 1];
      if (first === undefined) throw truncated(what);
      if (first < 192) [length, start] = [first, at + 2];
      else if (first < 224) [length, start] = [((first - 192) << 8) + (bytes[at + 2] ?? 0) + 192, at + 3];
      else if (first === 255) [length, start] = [readUint32(bytes, at + 2), at + 6];
      else throw new IsoVerifyError('key-malformed', `${what}: partial-length packet in key material`);
    } else {
      tag = (header >> 2) & 0x0f;
      const lengthType = header & 0x03;
      if (lengthType === 0) [length, start] = [bytes[at + 1] ?? 0, at + 2];
      else if (lengthType === 1) [length, start] = [((bytes[at + 1] ?? 0) << 8) | (bytes[at + 2] ?? 0), at + 3];
      else if (lengthType === 2) [length, start] = [readUint32(bytes, at + 1), at + 5];
      else throw new IsoVerifyError('key-malformed', `${what}: indeterminate-length packet in key material`);
    }
    if (start + length > bytes.length) throw truncated(what);
    switch (tag) {
      case TAG.publicKey:
      case TAG.secretKey:
        if (++counts.keys > limits.keys) throw tooMany(`more than ${limits.keys} keys`);
        break;
      case TAG.userId:
      case TAG.userAttribute:
        if (++counts.userIds > limits.userIds) throw tooMany(`more than ${limits.userIds} user IDs`);
        if (length > limits.userIdBytes) throw tooMany(`a user ID of ${length} bytes (at most ${limits.userIdBytes})`);
        break;
      case TAG.publicSubkey:
      case TAG.secretSubkey:
        if (++counts.subkeys > limits.subkeys) throw tooMany(`more than ${limits.subkeys} subkeys`);
        break;
      case TAG.signature:
        if (++counts.signatures > limits.signatures) throw tooMany(`more than ${limits.signatures} signatures`);
        if (length > limits.signatureBytes)
          throw tooMany(`a signature of ${length} bytes (at most ${limits.signatureBytes})`);
        break;
      default:
        break;
    }
    at = start + length;
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) >>> 0) + ((bytes[at + 1] ?? 0) << 16) + ((bytes[at + 2] ?? 0) << 8) + (bytes[at + 3] ?? 0)
  );
}

function truncated(what: string): IsoVerifyError {
  return new IsoVerifyError('key-malformed', `${what}: a packet runs past the end of the data`);
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
