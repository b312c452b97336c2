import { describe, expect, it } from 'vitest';
import { parseBackgroundRequest } from '../../../src/wire/messages.js';
import { parseVerdict } from '../../../src/wire/verdict-schema.js';
import { VERDICT_KINDS } from '../../../src/core/verdict.js';
import { verdict } from '../background/fixtures.js';
import { codeOf } from '../../helpers/error-code.js';

describe('parseBackgroundRequest', () => {
  it('accepts every request type in its exact shape', () => {
    expect(parseBackgroundRequest({ type: 'get-state' })).toEqual({ type: 'get-state' });
    for (const type of ['cancel', 'retry', 'forget', 'resume-download'] as const) {
      expect(parseBackgroundRequest({ type, id: 'dl-7' })).toEqual({ type, id: 'dl-7' });
    }
    expect(parseBackgroundRequest({ type: 'download-again', id: 'dl-7', from: 'other' })).toEqual({
      type: 'download-again',
      id: 'dl-7',
      from: 'other',
    });
    expect(
      codeOf(() => parseBackgroundRequest({ type: 'download-again', id: 'dl-7', from: 'https://evil.example/' })),
    ).toBe('input-invalid-value');
    expect(
      codeOf(() =>
        parseBackgroundRequest({ type: 'download-again', id: 'dl-7', from: 'same', url: 'https://evil.example/' }),
      ),
    ).toBe('input-malformed');
    expect(parseBackgroundRequest({ type: 'open-verify-page' })).toEqual({ type: 'open-verify-page' });
    expect(parseBackgroundRequest({ type: 'open-verify-page', id: 'dl-7' })).toEqual({
      type: 'open-verify-page',
      id: 'dl-7',
    });
    const hash = {
      type: 'verify-hash',
      fileName: 'tails-amd64-7.2.img',
      bytes: 12,
      states: { sha256: 'AAAA', sha512: 'BBBB' },
    };
    expect(parseBackgroundRequest(hash)).toEqual(hash);
    expect(parseBackgroundRequest({ ...hash, id: 'dl-7' })).toEqual({ ...hash, id: 'dl-7' });
  });

  it('rejects unknown types, extra fields and bad ids', () => {
    expect(codeOf(() => parseBackgroundRequest(null))).toBe('input-wrong-type');
    expect(codeOf(() => parseBackgroundRequest('get-state'))).toBe('input-wrong-type');
    expect(codeOf(() => parseBackgroundRequest([]))).toBe('input-wrong-type');
    expect(codeOf(() => parseBackgroundRequest({ type: 'delete-everything' }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ type: 'get-state', extra: 1 }))).toBe('input-malformed');
    expect(codeOf(() => parseBackgroundRequest({ type: 'cancel' }))).toBe('input-missing-field');
    expect(codeOf(() => parseBackgroundRequest({ type: 'cancel', id: 7 }))).toBe('input-missing-field');
    expect(codeOf(() => parseBackgroundRequest({ type: 'cancel', id: '__proto__' }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ type: 'forget', id: 'dl-1', url: 'x' }))).toBe('input-malformed');
    expect(codeOf(() => parseBackgroundRequest({ type: 'get-state', big: 'x'.repeat(300_000) }))).toBe(
      'input-too-large',
    );
  });

  it('verify-hash carries a hash state only: no verdict, no digests, nothing else', () => {
    const hash = { type: 'verify-hash', fileName: 'tails-amd64-7.2.img', bytes: 12, states: { sha256: 'AAAA' } };
    // A page can no longer hand the background a verdict.
    expect(
      codeOf(() => parseBackgroundRequest({ type: 'attach-verdict', id: 'dl-1', verdict: verdict('verified') })),
    ).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, verdict: verdict('verified') }))).toBe('input-malformed');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, sha256: 'a'.repeat(64) }))).toBe('input-malformed');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, states: { sha256: 'AAAA', md5: 'AAAA' } }))).toBe(
      'input-malformed',
    );
    expect(codeOf(() => parseBackgroundRequest({ ...hash, states: {} }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, states: { sha256: 'not base64!' } }))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => parseBackgroundRequest({ ...hash, states: { sha256: 'A'.repeat(7000) } }))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => parseBackgroundRequest({ ...hash, bytes: -1 }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, bytes: 1.5 }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, fileName: '../x.img' }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, fileName: '' }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, id: 'x' }))).toBe('input-invalid-value');
  });

  it('verify-hash may ask for the reproducers, and repro-status takes only a token', () => {
    const hash = { type: 'verify-hash', fileName: 'tails-amd64-7.2.img', bytes: 12, states: { sha256: 'AAAA' } };
    expect(parseBackgroundRequest({ ...hash, repro: true })).toEqual({ ...hash, repro: true });
    expect(codeOf(() => parseBackgroundRequest({ ...hash, repro: 'yes' }))).toBe('input-invalid-value');
    expect(codeOf(() => parseBackgroundRequest({ ...hash, repro: false }))).toBe('input-invalid-value');
    const token = '0b6a3f1e-7c2d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(parseBackgroundRequest({ type: 'repro-status', token })).toEqual({ type: 'repro-status', token });
    expect(codeOf(() => parseBackgroundRequest({ type: 'repro-status' }))).toBe('input-missing-field');
    expect(codeOf(() => parseBackgroundRequest({ type: 'repro-status', token: '__proto__' }))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => parseBackgroundRequest({ type: 'repro-status', token, status: {} }))).toBe('input-malformed');
  });
});

describe('parseVerdict', () => {
  it('accepts each well-formed kind', () => {
    for (const kind of VERDICT_KINDS) expect(parseVerdict(verdict(kind)).kind).toBe(kind);
  });

  it('rejects verdicts missing what the UI relies on', () => {
    const v = verdict('verified') as unknown as Record<string, any>;
    expect(codeOf(() => parseVerdict({ ...v, evidence: undefined }))).toBe('input-missing-field');
    expect(
      codeOf(() => parseVerdict({ ...v, evidence: { ...v.evidence, file: { ...v.evidence.file, sha256: 'XYZ' } } })),
    ).toBe('input-invalid-value');
    expect(
      codeOf(() => parseVerdict({ ...v, evidence: { ...v.evidence, file: { ...v.evidence.file, size: -1 } } })),
    ).toBe('input-invalid-value');
    expect(codeOf(() => parseVerdict({ ...v, signer: undefined }))).toBe('input-invalid-value');
    expect(codeOf(() => parseVerdict({ ...v, expected: { ...v.expected, sha256: 1 } }))).toBe('input-invalid-value');
    const u = verdict('unverifiable') as unknown as Record<string, unknown>;
    expect(codeOf(() => parseVerdict({ ...u, error: undefined }))).toBe('input-missing-field');
  });
});
