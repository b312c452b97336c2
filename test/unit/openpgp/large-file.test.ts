/**
 * A 256 MiB file signed by GnuPG, verified from the product's streaming hash (hash-wasm, constant
 * memory): the file is never held in memory, only its hash continuations.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashResult } from '../../../src/core/hash/types.js';
import { loadPinnedKeyring, verifyDetachedFromHash, type PinnedKeyring } from '../../../src/core/openpgp/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';
import { hashFile } from './streaming.js';

const SIZE = 256 * 1024 * 1024;
const T0 = new Date('2024-01-01T00:00:00Z');

let gpg: GpgHome;
let dir: string;
let file: string;
let keyring: PinnedKeyring;
let hashed: HashResult;
const fpr: Record<string, string> = {};
const sig: Record<string, Uint8Array> = {};

/** Deterministic, incompressible-looking content, written in 4 MiB blocks. */
async function writeLargeFile(target: string, size: number): Promise<void> {
  const out = createWriteStream(target);
  const block = new Uint8Array(4 * 1024 * 1024);
  const words = new Uint32Array(block.buffer);
  let x = 0x9e3779b9;
  for (let written = 0; written < size; written += block.length) {
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    if (!out.write(block.slice())) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'isov-large-'));
  file = path.join(dir, 'image.img');
  await writeLargeFile(file, SIZE);
  gpg = await createGpgHome();
  fpr.P = await gpg.genKey({ uid: 'Images <images@example.org>', algo: 'rsa2048', usage: 'cert', fakedTime: T0 });
  fpr.rsa = await gpg.addSubkey(fpr.P, { algo: 'rsa2048', usage: 'sign', fakedTime: T0 });
  fpr.ed = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', fakedTime: T0 });
  sig.rsa = await gpg.detachSign({ file }, { keyId: fpr.rsa, digestAlgo: 'SHA512', fakedTime: T0 });
  sig.ed = await gpg.detachSign({ file }, { keyId: fpr.ed, digestAlgo: 'SHA256', armor: true, fakedTime: T0 });
  sig.other = await gpg.detachSign(new TextEncoder().encode('another file'), { keyId: fpr.ed, fakedTime: T0 });
  keyring = await loadPinnedKeyring([await gpg.exportKey(fpr.P)], [fpr.P]);
  hashed = await hashFile(file);
}, 240_000);

afterAll(async () => {
  await gpg?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('256 MiB file from the streaming hash', () => {
  it('the stream covered the whole file', () => {
    expect(hashed.bytes).toBe(SIZE);
    expect(Object.keys(hashed.continuations).sort()).toEqual(['sha256', 'sha512']);
  });

  it.each([
    ['rsa', 'sha512', 'rsa2048'],
    ['ed', 'sha256', 'ed25519'],
  ])('%s subkey signature (%s) is good, as GnuPG says', async (name, hash, algorithm) => {
    const ours = await verifyDetachedFromHash(keyring, sig[name]!, hashed.continuations, { over: 'image' });
    expect(ours.error).toBeUndefined();
    expect(ours).toMatchObject({
      good: true,
      primaryFingerprint: fpr.P,
      signingKeyFingerprint: fpr[name],
      hashAlgorithm: hash,
      publicKeyAlgorithm: algorithm,
    });
    const reference = await gpg.verifyWithGpg(sig[name]!, { file });
    expect(reference.keyword).toBe('GOODSIG');
    expect(reference.signingFingerprint).toBe(ours.signingKeyFingerprint);
  });

  it('a signature over other bytes is signature-bad', async () => {
    const ours = await verifyDetachedFromHash(keyring, sig.other!, hashed.continuations, { over: 'image' });
    expect(ours.good).toBe(false);
    expect(ours.error?.code).toBe('signature-bad');
    expect((await gpg.verifyWithGpg(sig.other!, { file })).keyword).toBe('BADSIG');
  });
});
