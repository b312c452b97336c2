/**
 * A demo release built in the test with GnuPG: image bytes, a description (latest.json) and
 * their detached signatures by the pinned demo key, served from an in-memory Fetcher.
 */
import { readFileSync } from 'node:fs';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { hashStream } from '../../../src/core/hash/index.js';
import type { HashResult } from '../../../src/core/hash/types.js';
import type { FetchedBytes, Fetcher } from '../../../src/core/net/types.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';

export const DEMO_FINGERPRINT = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
export const DEMO_SIGNING_SUBKEY = 'EB3497335AF8981565D7D2462C4BED356215362A';
/** The demo key was created at this time; every signature here is made after it. */
export const DEMO_KEY_CREATED = new Date(1795316500 * 1000);
export const SITE = 'http://127.0.0.1:8470';
export const DESCRIPTION_URL = `${SITE}/install/v2/Tails/amd64/stable/latest.json`;

const SECRET_KEY = readFileSync(new URL('../../fixtures/demo-key/demo-signing.secret.asc', import.meta.url));

export function at(minutesAfterKeyCreation: number): Date {
  return new Date(DEMO_KEY_CREATED.getTime() + minutesAfterKeyCreation * 60_000);
}

/** Deterministic pseudo-random bytes (xorshift), so runs are reproducible. */
export function imageBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function hashBytes(bytes: Uint8Array): Promise<HashResult> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, Math.min(bytes.length, i + (1 << 20)));
  }
  return hashStream(chunks(), { algorithms: ['sha256', 'sha512'] });
}

export function sha256Hex(result: HashResult): string {
  return result.digests.sha256!;
}

export interface DescriptionEntry {
  version: string;
  type: 'iso' | 'img';
  bytes?: Uint8Array;
  size?: number;
  sha256?: string;
}

export async function describe(entries: DescriptionEntry[], extra: Record<string, unknown> = {}): Promise<Uint8Array> {
  const byVersion = new Map<string, unknown[]>();
  for (const e of entries) {
    let size = e.size;
    let sha256 = e.sha256;
    if (e.bytes) {
      size = e.bytes.length;
      sha256 = sha256Hex(await hashBytes(e.bytes));
    }
    const name = `tails-amd64-${e.version}.${e.type}`;
    const paths = byVersion.get(e.version) ?? [];
    paths.push({
      type: e.type,
      'target-files': [{ url: `https://download.example/tails/stable/tails-amd64-${e.version}/${name}`, sha256, size }],
    });
    byVersion.set(e.version, paths);
  }
  const doc = {
    build_target: 'amd64',
    channel: 'stable',
    installations: [...byVersion].map(([version, paths]) => ({ 'installation-paths': paths, version })),
    'product-name': 'Tails',
    ...extra,
  };
  return new TextEncoder().encode(`${JSON.stringify(doc, null, 4)}\n`);
}

export interface DemoSigner {
  home: GpgHome;
  /** Sign with the pinned demo key's signing subkey. */
  sign(data: Uint8Array, when: Date, digestAlgo?: string): Promise<Uint8Array>;
  /** Sign with a freshly generated key that is NOT pinned. */
  signWithStranger(data: Uint8Array, when: Date): Promise<Uint8Array>;
  strangerPublicKey(): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createDemoSigner(): Promise<DemoSigner> {
  const home = await createGpgHome();
  await home.importKey(SECRET_KEY);
  const stranger = await home.genKey({
    uid: 'Stranger <stranger@example.org>',
    algo: 'ed25519',
    usage: 'sign',
    fakedTime: at(1),
  });
  return {
    home,
    async sign(data, when, digestAlgo = 'SHA512') {
      return new Uint8Array(await home.detachSign(data, { keyId: DEMO_SIGNING_SUBKEY, digestAlgo, fakedTime: when }));
    },
    async signWithStranger(data, when) {
      return new Uint8Array(await home.detachSign(data, { keyId: stranger, digestAlgo: 'SHA512', fakedTime: when }));
    },
    async strangerPublicKey() {
      return (await home.exportKey(stranger)).toString('utf8');
    },
    cleanup: () => home.cleanup(),
  };
}

/** An in-memory site: URL → bytes; anything else is a 404; `offline` fails every request. */
export class MemorySite {
  readonly files = new Map<string, Uint8Array>();
  offline = false;
  readonly requests: string[] = [];

  set(url: string, bytes: Uint8Array | string): this {
    this.files.set(url, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    return this;
  }

  readonly fetcher: Fetcher = async (url, options): Promise<FetchedBytes> => {
    this.requests.push(url);
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', url);
    if (this.offline) throw new IsoVerifyError('fetch-failed', `${url}: network unreachable`);
    const bytes = this.files.get(url);
    if (!bytes) throw new IsoVerifyError('fetch-http-status', `HTTP 404 for ${url}`);
    if (bytes.length > options.maxBytes) throw new IsoVerifyError('fetch-too-large', url);
    return { source: url, bytes: bytes.slice(), fetchedAt: new Date().toISOString() };
  };
}

/** What every surface does: the core pipeline, fetching through `fetcher`, with a fixed clock. */
export async function fetchDecideRecord(input: {
  profile: import('../../../src/core/profile.js').Profile;
  fileName: string;
  hash: HashResult;
  fetcher: Fetcher;
  trustState: import('../../../src/core/freshness.js').TrustState;
  now?: Date;
  overrides?: import('../../../src/core/verify/index.js').MaterialOverrides;
}): Promise<import('../../../src/core/verdict.js').Verdict> {
  const { verifyImage } = await import('../../../src/core/verify/index.js');
  const { verdict } = await verifyImage({
    profile: input.profile,
    fileName: input.fileName,
    material: { fetcher: input.fetcher, overrides: input.overrides },
    hash: input.hash,
    store: { rollback: input.trustState },
    now: input.now,
  });
  return verdict;
}
