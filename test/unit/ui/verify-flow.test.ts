import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashResult } from '../../../src/core/hash/types.js';
import type { ReproStatus } from '../../../src/core/repro/types.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { downloadIdFrom } from '../../../src/ui/pages/verify-id.js';
import {
  requireSha256,
  runVerification,
  type DecideContext,
  type VerifyFlowDeps,
} from '../../../src/ui-kit/verify-flow.js';
import { repro, RELEASE_SHA256, verdicts } from './fixtures.js';

const file = new File([new Uint8Array(16)], 'tails-amd64-7.2.img');
const hashResult: HashResult = {
  bytes: 16,
  digests: { sha256: RELEASE_SHA256, sha512: 'ab'.repeat(64) },
  continuations: {},
};

/** A surface's verification (the core pipeline behind it) that answers `verdict` and, when given, a rebuilders' status. */
function deps(verdict: Verdict, repro?: () => Promise<ReproStatus | undefined>) {
  const seen: { name?: string; context?: DecideContext } = {};
  const d: VerifyFlowDeps = {
    verify: async (picked, { onProgress, onHashed }, context) => {
      seen.name = picked.name;
      if (context) seen.context = context;
      onProgress({ bytes: 8, total: 16, rate: 100 });
      onHashed();
      return repro ? { verdict, repro: repro() } : { verdict };
    },
  };
  return { d, seen };
}

const callbacks = (events: string[]) => ({
  signal: new AbortController().signal,
  onProgress: () => events.push('progress'),
  onHashed: () => events.push('hashed'),
  onVerdict: (v: Verdict, reproPending: boolean) => events.push(`verdict:${v.kind}${reproPending ? '+repro' : ''}`),
});

describe('runVerification', () => {
  it("shows the verdict first, then the rebuilders' status the verification brought", async () => {
    const events: string[] = [];
    const { d, seen } = deps(verdicts.verified, async () => repro.met);
    const context: DecideContext = { downloadId: 'dl-3' };
    const outcome = await runVerification(file, d, callbacks(events), context);
    expect(events).toEqual(['progress', 'hashed', 'verdict:verified+repro']);
    expect(seen).toEqual({ name: 'tails-amd64-7.2.img', context });
    expect(outcome).toEqual({ verdict: verdicts.verified, repro: repro.met });
  });

  it('without rebuilders asked, the verdict alone', async () => {
    const events: string[] = [];
    const outcome = await runVerification(file, deps(verdicts.mismatch).d, callbacks(events));
    expect(events).toEqual(['progress', 'hashed', 'verdict:mismatch']);
    expect(outcome).toEqual({ verdict: verdicts.mismatch });
  });

  it('a failing rebuilder check keeps the verdict', async () => {
    const { d } = deps(verdicts.verified, async () => Promise.reject(new IsoVerifyError('aborted')));
    const outcome = await runVerification(file, d, callbacks([]));
    expect(outcome.verdict.kind).toBe('verified');
    expect(outcome.repro).toBeUndefined();
  });

  it('a failed verification rejects with its typed error', async () => {
    const d: VerifyFlowDeps = {
      verify: async () => Promise.reject(new IsoVerifyError('io-failed', 'NotReadableError')),
    };
    await expect(runVerification(file, d, callbacks([]))).rejects.toMatchObject({ code: 'io-failed' });
  });
});

describe('requireSha256', () => {
  it('fails closed on a hash without SHA-256 instead of deciding', () => {
    expect(() => requireSha256({ bytes: 16, digests: {}, continuations: {} })).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
    expect(requireSha256(hashResult)).toBe(hashResult);
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
