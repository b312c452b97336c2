/**
 * The one parser of a Verdict that crossed a boundary (a message from the verify page, a
 * stored record, a reply to the widget): every field a surface relies on is checked, hashes
 * as lowercase hex of their length. Throws a typed `input-*` error naming the field.
 */
import { IsoVerifyError } from '../core/errors.js';
import { VERDICT_KINDS, type Verdict } from '../core/verdict.js';
import { isObject, isWholeCount } from './guards.js';

const isHex = (value: unknown, length: number): boolean =>
  typeof value === 'string' && value.length === length && /^[0-9a-f]+$/.test(value);

/** Kinds whose verdict names the expected file. */
const NEEDS_EXPECTED: readonly string[] = ['verified', 'mismatch', 'incomplete', 'oversized', 'checksum-only'];

export function parseVerdict(value: unknown): Verdict {
  if (!isObject(value)) throw new IsoVerifyError('input-wrong-type', 'verdict: not an object');
  if (!(VERDICT_KINDS as readonly unknown[]).includes(value.kind))
    throw new IsoVerifyError('input-invalid-value', 'verdict.kind');
  const evidence = value.evidence;
  if (!isObject(evidence)) throw new IsoVerifyError('input-missing-field', 'verdict.evidence');
  const file = evidence.file;
  if (!isObject(file)) throw new IsoVerifyError('input-missing-field', 'verdict.evidence.file');
  if (typeof file.name !== 'string' || file.name.length === 0 || file.name.length > 1024) {
    throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.name');
  }
  if (!isWholeCount(file.size)) throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.size');
  if (!isHex(file.sha256, 64)) throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.sha256');
  if (file.sha512 !== undefined && !isHex(file.sha512, 128))
    throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.sha512');
  if (!Array.isArray(evidence.signatures) || !Array.isArray(evidence.inputs)) {
    throw new IsoVerifyError('input-missing-field', 'verdict.evidence.signatures/inputs');
  }
  if (typeof evidence.profile !== 'string' || typeof evidence.checkedAt !== 'string') {
    throw new IsoVerifyError('input-missing-field', 'verdict.evidence.profile/checkedAt');
  }
  if (NEEDS_EXPECTED.includes(value.kind as string)) {
    const expected = value.expected;
    if (
      !isObject(expected) ||
      typeof expected.name !== 'string' ||
      typeof expected.product !== 'string' ||
      !isWholeCount(expected.size) ||
      !isHex(expected.sha256, 64)
    ) {
      throw new IsoVerifyError('input-invalid-value', 'verdict.expected');
    }
  }
  if (value.kind === 'verified') {
    const signer = value.signer;
    if (
      !isObject(signer) ||
      typeof signer.primaryFingerprint !== 'string' ||
      typeof signer.signatureTime !== 'string'
    ) {
      throw new IsoVerifyError('input-invalid-value', 'verdict.signer');
    }
  }
  if (value.kind === 'unverifiable') {
    if (!isObject(value.error)) throw new IsoVerifyError('input-missing-field', 'verdict.error');
    if (typeof value.reason !== 'string') throw new IsoVerifyError('input-missing-field', 'verdict.reason');
  }
  if (value.kind === 'wrong-release' && typeof value.reason !== 'string')
    throw new IsoVerifyError('input-missing-field', 'verdict.reason');
  return value as unknown as Verdict;
}

/** The same check as a predicate, where a bad verdict is simply dropped. */
export function isVerdict(value: unknown): value is Verdict {
  try {
    parseVerdict(value);
    return true;
  } catch {
    return false;
  }
}
