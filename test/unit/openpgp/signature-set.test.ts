/**
 * A detached signature file may hold several signatures. Every one a pinned key made must be
 * good and allowed by the policy, whatever the order (GnuPG refuses a file that holds a bad
 * signature by the key); signatures by keys that are not pinned are ignored. And RFC 9580
 * pairs packet versions: a v6 signature made by a v4 key is refused on both routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armor, enums, unarmor } from 'openpgp';
import {
  loadPinnedKeyring,
  verifyDetached,
  verifyDetachedFromHash,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';
import { craftDetachedSignature, craftV6SignatureByV4Key } from './craft.js';
import { continuationsOfBytes } from './streaming.js';

const T0 = new Date('2024-01-01T00:00:00Z');
const T1 = new Date('2024-02-01T00:00:00Z');
const data = new TextEncoder().encode('several signatures over one file\n');
const other = new TextEncoder().encode('other bytes\n');

let gpg: GpgHome;
let keyring: PinnedKeyring;
let secretKey: string;
const fpr: Record<string, string> = {};
const sig: Record<string, Uint8Array> = {};

async function binary(signature: string | Uint8Array): Promise<Uint8Array> {
  return typeof signature === 'string' ? ((await unarmor(signature)).data as Uint8Array) : signature;
}

beforeAll(async () => {
  gpg = await createGpgHome();
  const at = { fakedTime: T0 };
  fpr.P = await gpg.genKey({ uid: 'Pinned <pinned@example.org>', algo: 'rsa2048', usage: 'cert', ...at });
  fpr.ed = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', ...at });
  fpr.rsa = await gpg.addSubkey(fpr.P, { algo: 'rsa2048', usage: 'sign', ...at });
  fpr.stranger = await gpg.genKey({ uid: 'Stranger <s@example.org>', algo: 'ed25519', usage: 'cert,sign', ...at });
  sig.good = await gpg.detachSign(data, { keyId: fpr.ed, digestAlgo: 'SHA512', fakedTime: T1 });
  sig.goodRsa = await gpg.detachSign(data, { keyId: fpr.rsa, digestAlgo: 'SHA256', fakedTime: T1 });
  sig.bad = await gpg.detachSign(other, { keyId: fpr.rsa, digestAlgo: 'SHA512', fakedTime: T1 }); // pinned key, other bytes
  sig.sha1 = await gpg.detachSign(data, { keyId: fpr.rsa, digestAlgo: 'SHA1', fakedTime: T1 });
  sig.stranger = await gpg.detachSign(data, { keyId: fpr.stranger, digestAlgo: 'SHA512', fakedTime: T1 });
  secretKey = (await gpg.exportKey(fpr.P, { secret: true })).toString('utf8');
  keyring = await loadPinnedKeyring([await gpg.exportKey(fpr.P), await gpg.exportKey(fpr.stranger)], [fpr.P]);
});

afterAll(async () => {
  await gpg?.cleanup();
});

const join = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

async function bothRoutes(signature: Uint8Array) {
  const now = new Date();
  const memory = await verifyDetached(keyring, data, signature, { over: 'description', now });
  const streamed = await verifyDetachedFromHash(keyring, signature, await continuationsOfBytes(data), {
    over: 'image',
    now,
  });
  return { memory, streamed };
}

describe('several signatures in one file', () => {
  it.each([
    ['good, bad', ['good', 'bad'], 'signature-bad'],
    ['bad, good', ['bad', 'good'], 'signature-bad'],
    ['SHA-1, good', ['sha1', 'good'], 'signature-weak-hash'],
    ['good, SHA-1', ['good', 'sha1'], 'signature-weak-hash'],
    ['bad, SHA-1', ['bad', 'sha1'], 'signature-bad'],
    ['SHA-1, bad', ['sha1', 'bad'], 'signature-bad'],
  ])('%s: refused (%s), the same in either order and on both routes', async (_name, parts, code) => {
    const combined = join(...parts.map((p) => sig[p]!));
    const { memory, streamed } = await bothRoutes(combined);
    expect(memory.good).toBe(false);
    expect(memory.error?.code, memory.error?.detail).toBe(code);
    expect(streamed.good).toBe(false);
    expect(streamed.error?.code, streamed.error?.detail).toBe(code);
  });

  it('GnuPG refuses the files that hold a bad signature by the pinned key, in either order', async () => {
    for (const combined of [join(sig.good!, sig.bad!), join(sig.bad!, sig.good!)]) {
      const reference = await gpg.verifyWithGpg(combined, data);
      expect(reference.code, reference.output).not.toBe(0);
      expect(reference.output).toContain('BADSIG');
      expect((await bothRoutes(combined)).memory.good).toBe(false);
    }
  });

  it.each([
    ['stranger, good', ['stranger', 'good']],
    ['good, stranger', ['good', 'stranger']],
    ['good (Ed25519), good (RSA)', ['good', 'goodRsa']],
    ['good (RSA), good (Ed25519)', ['goodRsa', 'good']],
  ])('%s: good; signatures by keys that are not pinned are ignored', async (_name, parts) => {
    const { memory, streamed } = await bothRoutes(join(...parts.map((p) => sig[p]!)));
    expect(memory.error).toBeUndefined();
    expect(memory.good).toBe(true);
    expect(streamed.good).toBe(true);
    expect(memory.primaryFingerprint).toBe(fpr.P);
  });

  it('the reported signer does not depend on the order of good signatures', async () => {
    const a = (await bothRoutes(join(sig.good!, sig.goodRsa!))).memory;
    const b = (await bothRoutes(join(sig.goodRsa!, sig.good!))).memory;
    expect(a.signingKeyFingerprint).toBe(b.signingKeyFingerprint);
  });

  it('only signatures by unknown keys: signature-unknown-key', async () => {
    const { memory } = await bothRoutes(sig.stranger!);
    expect(memory.error?.code).toBe('signature-unknown-key');
  });
});

describe('packet versions (RFC 9580)', () => {
  const v6ByV4Key = () => craftV6SignatureByV4Key(secretKey, fpr.ed!, data, T1);

  it('a v6 signature by a v4 key is refused on the description route and the image route', async () => {
    const signature = await v6ByV4Key();
    expect(signature[2]).toBe(6); // a v6 signature packet (new-format header, one-octet length)
    const { memory, streamed } = await bothRoutes(signature);
    expect(memory.good).toBe(false);
    expect(memory.error?.code, memory.error?.detail).toBe('signature-unsupported');
    expect(streamed.good).toBe(false);
    expect(streamed.error?.code).toBe('signature-unsupported');
  });

  it('the crafted v4 control signature (same code path, v4 packet) is good', async () => {
    const control = await binary(await craftDetachedSignature(secretKey, fpr.ed!, data, T1, enums.hash.sha512));
    expect((await bothRoutes(control)).memory.good).toBe(true);
    expect(armor).toBeTypeOf('function');
  });
});
