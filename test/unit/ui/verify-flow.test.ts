import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashResult } from '../../../src/core/hash/types.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { downloadIdFrom } from '../../../src/ui/pages/verify-id.js';
import { runVerification, type VerifyFlowDeps } from '../../../src/ui-kit/verify-flow.js';
import { repro, RELEASE_SHA256, verdicts } from './fixtures.js';

const file = new File([new Uint8Array(16)], 'tails-amd64-7.2.img');
const hashResult: HashResult = { bytes: 16, digests: { sha256: RELEASE_SHA256, sha512: 'ab'.repeat(64) }, continuations: {} };

function deps(verdict: Verdict, overrides: Partial<VerifyFlowDeps<string>> = {}) {
  const seen: { facts?: { name: string; hash: HashResult }; material?: string; reproAsked: number } = { reproAsked: 0 };
  const d: VerifyFlowDeps<string> = {
    hash: async (_file, { onProgress }) => {
      onProgress({ bytes: 8, total: 16, rate: 100 });
      return hashResult;
    },
    fetchMaterial: async (name) => `material for ${name}`,
    decide: async (material, name, hash) => {
      seen.material = material;
      seen.facts = { name, hash };
      return verdict;
    },
    repro: async () => {
      seen.reproAsked += 1;
      return repro.met;
    },
    ...overrides,
  };
  return { d, seen };
}

const callbacks = (events: string[]) => ({
  signal: new AbortController().signal,
  onProgress: () => events.push('progress'),
  onHashed: () => events.push('hashed'),
  onVerdict: (v: Verdict) => events.push(`verdict:${v.kind}`),
});

describe('runVerification', () => {
  it('hashes, decides with the file facts and the material, then asks rebuilders for a verified file', async () => {
    const events: string[] = [];
    const { d, seen } = deps(verdicts.verified);
    const outcome = await runVerification(file, d, callbacks(events));
    expect(events).toEqual(['progress', 'hashed', 'verdict:verified']);
    expect(seen.material).toBe('material for tails-amd64-7.2.img');
    // The page hands the name and the whole hash result on; only the core turns them into facts.
    expect(seen.facts).toEqual({ name: 'tails-amd64-7.2.img', hash: hashResult });
    expect(outcome.repro).toBe(repro.met);
  });

  it('never asks rebuilders when the file is not verified', async () => {
    const { d, seen } = deps(verdicts.mismatch);
    const outcome = await runVerification(file, d, callbacks([]));
    expect(outcome.verdict.kind).toBe('mismatch');
    expect(outcome.repro).toBeUndefined();
    expect(seen.reproAsked).toBe(0);
  });

  it('a failing rebuilder check keeps the verdict', async () => {
    const { d } = deps(verdicts.verified, { repro: async () => Promise.reject(new IsoVerifyError('aborted')) });
    const outcome = await runVerification(file, d, callbacks([]));
    expect(outcome.verdict.kind).toBe('verified');
    expect(outcome.repro).toBeUndefined();
  });

  it('a hashing failure rejects with its typed error, and a failing material fetch is not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { d } = deps(verdicts.verified, {
        hash: async () => Promise.reject(new IsoVerifyError('io-failed', 'NotReadableError')),
        fetchMaterial: async () => Promise.reject(new IsoVerifyError('fetch-failed', 'offline')),
      });
      await expect(runVerification(file, d, callbacks([]))).rejects.toMatchObject({ code: 'io-failed' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a hash without SHA-256 fails closed instead of deciding', async () => {
    const { d, seen } = deps(verdicts.verified, { hash: async () => ({ bytes: 16, digests: {}, continuations: {} }) });
    await expect(runVerification(file, d, callbacks([]))).rejects.toMatchObject({ code: 'internal' });
    expect(seen.facts).toBeUndefined();
  });
});

describe('downloadIdFrom', () => {
  it('accepts tracked ids and rejects anything else', () => {
    expect(downloadIdFrom('?download=dl-42')).toBe('dl-42');
    expect(downloadIdFrom('')).toBeUndefined();
    expect(downloadIdFrom('?download=../../x')).toBeUndefined();
    expect(downloadIdFrom(`?download=${'a'.repeat(65)}`)).toBeUndefined();
  });
});
