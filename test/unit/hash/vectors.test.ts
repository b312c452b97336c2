/** FIPS 180-2 / NIST CSRC example vectors through every entry point and both engines. */
import { describe, expect, it } from 'vitest';
import { nativeEngine } from '../../../src/cli/native-engine.js';
import { hashStream, IncrementalHash, wasmEngine } from '../../../src/core/hash/index.js';
import type { HashEngine } from '../../../src/core/hash/index.js';
import { fromChunks, splitEvery } from './helpers.js';

const text = (s: string) => new TextEncoder().encode(s);
const MSG_448 = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
const MSG_896 =
  'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';

const VECTORS: { name: string; data: Uint8Array; sha256: string; sha512: string }[] = [
  {
    name: '"abc"',
    data: text('abc'),
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    sha512:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  },
  {
    name: 'empty',
    data: new Uint8Array(0),
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sha512:
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  },
  {
    name: '448-bit message',
    data: text(MSG_448),
    sha256: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    sha512:
      '204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445',
  },
  {
    name: '896-bit message',
    data: text(MSG_896),
    sha256: 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    sha512:
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
  },
  {
    name: "one million 'a'",
    data: new Uint8Array(1_000_000).fill(0x61),
    sha256: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    sha512:
      'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b',
  },
];

const ENGINES: HashEngine[] = [wasmEngine, nativeEngine];

describe.each(ENGINES.map((e) => [e.name, e] as const))('NIST vectors with %s', (_name, engine) => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('%s via hashStream', async (_n, v) => {
    const result = await hashStream(fromChunks([v.data]), { algorithms: ['sha256', 'sha512'], engine });
    expect(result.digests).toEqual({ sha256: v.sha256, sha512: v.sha512 });
    expect(result.bytes).toBe(v.data.length);
  });

  it.each(VECTORS.map((v) => [v.name, v] as const))('%s via IncrementalHash, odd-sized pushes', async (_n, v) => {
    const hash = await IncrementalHash.create(['sha512', 'sha256'], engine);
    for (const chunk of splitEvery(v.data, 7)) hash.update(chunk);
    expect(hash.finish().digests).toEqual({ sha256: v.sha256, sha512: v.sha512 });
  });
});
