/**
 * Human-readable output: the one-line answer first, then the evidence. Also the single
 * stderr line that says what failed and why. Pure functions of the verdict, for testing.
 */
import type { HashResult } from '../core/hash/types.js';
import type { ReproStatus } from '../core/repro/types.js';
import {
  exitStatusFor,
  isProven,
  type Evidence,
  type ExpectedFile,
  type FactSource,
  type InputRecord,
  type SignatureDetails,
  type Verdict,
  type WrongReleaseReason,
} from '../core/verdict.js';
import { describeError, describeWarning } from './messages.js';
import { printable, red, reproSummary, shortSha256 } from './repro-report.js';

function imageKind(type: ExpectedFile['type']): string {
  return type === 'iso' ? 'ISO image' : type === 'img' ? 'USB image' : String(type);
}

export function describeRelease(expected: ExpectedFile): string {
  return `${expected.product} ${expected.version} (${imageKind(expected.type)})`;
}

const WRONG_RELEASE: Record<WrongReleaseReason, string> = {
  'other-version': 'it is a different version than the release the release data describes',
  'older-version': 'it is an older version than the current release',
  'other-type': 'it is a different image type (ISO vs USB image) than the release describes',
  'other-product': 'it is an image of another product',
  'unknown-file': 'its name is not one of the files this release describes',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "1.9 GB" for people (decimal units, as file managers show); small counts stay exact. The exact byte count is in the evidence. */
export function sizeWords(bytes: number): string {
  if (bytes < 1000) return plural(bytes, 'byte');
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "NOT THIS RELEASE: …" for a file name the release data does not describe. */
export function wrongReleaseLine(
  name: string,
  reason: WrongReleaseReason,
  expected?: ExpectedFile,
  unsigned = false,
): string {
  const according = unsigned ? ', according to the unsigned description' : '';
  return `NOT THIS RELEASE: ${name}: ${WRONG_RELEASE[reason] ?? reason}${expected ? ` (expected ${describeRelease(expected)}${according})` : according}.`;
}

/**
 * Why no signature decided, for the one-line answer: the image signature (or the description's)
 * that was missing, unreadable or not fetched, named with its problem.
 */
function missingSignatureWords(evidence: Evidence): string {
  const failed = evidence.inputs.find(
    (i) => (i.role === 'image-signature' || i.role === 'description-signature') && i.error,
  );
  if (failed?.error)
    return `the ${failed.role === 'image-signature' ? 'image signature' : 'description signature'} ${failed.error.code === 'fetch-offline' ? 'was not fetched (offline)' : `could not be used: ${describeError(failed.error)}`}`;
  const bad = evidence.signatures.find((s) => !s.good && s.error);
  if (bad?.error)
    return `the ${bad.over === 'image' ? 'image signature' : `${bad.over} signature`} could not be used: ${describeError(bad.error)}`;
  return 'no signature by the pinned key covers this file';
}

/** The one-line answer, shown first on stdout. */
export function answerLine(verdict: Verdict): string {
  const name = verdict.evidence.file.name;
  // The headline matches the exit status: only a verdict that signed data proves (exit 1) says
  // "NOT AUTHENTIC … Do not use it"; one that only unsigned data suggests says so, and why.
  if ((verdict.kind === 'mismatch' || verdict.kind === 'oversized') && exitStatusFor(verdict) === 2) {
    const what =
      verdict.kind === 'mismatch' ? 'has different contents than' : `is ${sizeWords(verdict.extraBytes)} larger than`;
    return `NOT VERIFIED: ${name} ${what} ${describeRelease(verdict.expected)} according to the unsigned description, and ${missingSignatureWords(verdict.evidence)}. Do not rely on it; download it again and check it.`;
  }
  switch (verdict.kind) {
    case 'verified':
      // The release is named only when a signature names it (DESIGN.md "Only signed facts decide").
      if (verdict.evidence.facts?.release === 'unsigned') {
        const { product, version, type } = verdict.expected;
        return `VERIFIED: ${name} is the ${product} ${imageKind(type)}, exactly as ${product} signed it (pinned key); version ${version} according to the unsigned description.`;
      }
      return `VERIFIED: ${name} is ${describeRelease(verdict.expected)}, complete and signed by the pinned key.`;
    case 'mismatch':
      // "NOT AUTHENTIC" only when a signature proves it; unsigned data alone cannot (#20).
      if (!isProven(verdict)) {
        return `COULD NOT VERIFY ${name}: its contents differ from the unsigned checksum of ${describeRelease(verdict.expected)}, and no signature by the pinned key could be checked. Download it again, preferably from another mirror.`;
      }
      return `NOT AUTHENTIC: ${name} has the size of ${describeRelease(verdict.expected)} but different contents. Do not use it; download it again, preferably from another mirror.`;
    case 'incomplete':
      return `INCOMPLETE: ${name} is ${sizeWords(verdict.missingBytes)} short of ${describeRelease(verdict.expected)}: the download was interrupted. Resume or restart it.`;
    case 'oversized':
      if (!isProven(verdict)) {
        return `COULD NOT VERIFY ${name}: it is ${sizeWords(verdict.extraBytes)} larger than the unsigned description says for ${describeRelease(verdict.expected)}, and no signature by the pinned key could be checked.`;
      }
      return `NOT THIS RELEASE: ${name} is ${sizeWords(verdict.extraBytes)} larger than ${describeRelease(verdict.expected)}. Do not use it.`;
    case 'wrong-release':
      return wrongReleaseLine(name, verdict.reason, verdict.expected, verdict.evidence.facts?.release === 'unsigned');
    case 'unverifiable':
      return `COULD NOT VERIFY ${name}: ${describeError(verdict.error)}.`;
    case 'checksum-only':
      return `CHECKSUM ONLY (not verified): ${name} matches the unsigned checksum of ${describeRelease(verdict.expected)}, but no signature by the pinned key vouches for it.`;
  }
}

/** Where the expected size and SHA-256 came from, in words: never "signed" unless a signature covers them. */
function referenceWords(evidence: Evidence): string {
  switch (evidence.facts?.reference) {
    case 'unsigned':
      return 'the unsigned description';
    case 'upgrade-description':
      return 'the signed upgrade description';
    default:
      return 'the signed description';
  }
}

/** Why the comparison proves something when the reference is unsigned. */
function proofNote(evidence: Evidence): string {
  if (evidence.facts?.reference !== 'unsigned') return '';
  const bad = evidence.signatures.some((s) => s.over === 'image' && !s.good && s.error?.code === 'signature-bad');
  return bad
    ? '; the image signature by the pinned key does not match these bytes'
    : '; no signature confirms those values';
}

/** Why the verdict is not "verified", for the one stderr line; undefined when verified. */
export function failureReason(verdict: Verdict): string | undefined {
  switch (verdict.kind) {
    case 'verified':
      return undefined;
    case 'mismatch':
      return `the file's SHA-256 differs from the SHA-256 of ${describeRelease(verdict.expected)} in ${referenceWords(verdict.evidence)}${proofNote(verdict.evidence)}`;
    case 'incomplete':
      return `the file has ${verdict.evidence.file.size} of the ${verdict.expected.size} bytes of ${describeRelease(verdict.expected)} in ${referenceWords(verdict.evidence)} (${verdict.missingBytes} missing): the download was probably interrupted${proofNote(verdict.evidence)}`;
    case 'oversized':
      return `the file has ${verdict.extraBytes} bytes more than ${describeRelease(verdict.expected)} in ${referenceWords(verdict.evidence)}${proofNote(verdict.evidence)}`;
    case 'wrong-release':
      return `${WRONG_RELEASE[verdict.reason] ?? verdict.reason}${verdict.evidence.facts?.release === 'unsigned' ? ' (according to the unsigned description; no signature names the current release)' : ''}`;
    case 'unverifiable':
      return describeError(verdict.error);
    case 'checksum-only':
      return `only an unsigned checksum of ${describeRelease(verdict.expected)} matched${verdict.error ? `; no signature vouches for it: ${describeError(verdict.error)}` : ''}`;
  }
}

function sourceWords(source: FactSource): string {
  switch (source) {
    case 'description':
      return 'signed (description signature)';
    case 'upgrade-description':
      return 'signed (upgrade description signature)';
    case 'image':
      return 'signed (image signature)';
    case 'unsigned':
      return 'NOT signed (unsigned description)';
  }
}

function field(label: string, value: string): string {
  return `  ${label.padEnd(12)}${value}`;
}

function continuation(value: string): string {
  return `  ${''.padEnd(12)}${value}`;
}

/** One signature's evidence line, labelled by what it covers (`sig.over`, or `label`). */
export function describeSignature(sig: SignatureDetails, label: string = sig.over): string {
  const parts: string[] = [];
  if (sig.primaryFingerprint) parts.push(`pinned key ${sig.primaryFingerprint}`);
  if (sig.signingKeyFingerprint && sig.signingKeyFingerprint !== sig.primaryFingerprint)
    parts.push(`signing key ${sig.signingKeyFingerprint}`);
  else if (!sig.signingKeyFingerprint && sig.keyId) parts.push(`key ID ${sig.keyId}`);
  if (sig.signatureTime) parts.push(`made ${sig.signatureTime}`);
  const algorithms = [sig.publicKeyAlgorithm, sig.hashAlgorithm].filter(Boolean).join('/');
  if (algorithms) parts.push(algorithms);
  const status = sig.good ? 'good' : `NOT GOOD: ${sig.error ? describeError(sig.error) : 'no reason given'}`;
  return `${label}: ${status}${parts.length ? `; ${parts.join(', ')}` : ''}`;
}

function describeInput(input: InputRecord): string {
  const facts = [input.source];
  if (input.bytes !== undefined) facts.push(`${input.bytes} bytes`);
  if (input.fetchedAt) facts.push(`at ${input.fetchedAt}`);
  // Skipped on purpose (--offline) is a fact, not a failure: say so neutrally.
  if (input.error?.code === 'fetch-offline') facts.push('not fetched: offline');
  else if (input.error) facts.push(`FAILED: ${describeError(input.error)}`);
  return `${input.role}: ${facts.join(', ')}`;
}

function expectedOf(verdict: Verdict): ExpectedFile | undefined {
  return 'expected' in verdict ? verdict.expected : undefined;
}

/**
 * The reproducibility section of `verify`: the same summary as `iso-verify repro`, then one line
 * per rebuilder. A separate signal: it never changes the verdict above it.
 */
export function reproLines(repro: ReproStatus, color = false): string[] {
  const summary = reproSummary(repro);
  const lines = [field('rebuilds', red(summary.text, summary.alarm && color))];
  for (const r of repro.rebuilders) {
    const extra = [
      r.date && `built ${r.date}`,
      r.attestedSha256 && `sha256 ${shortSha256(r.attestedSha256)}`,
      r.detail && printable(r.detail),
      r.buildLogUrl && `log ${r.buildLogUrl}`,
      r.attestationUrl && `link ${r.attestationUrl}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(continuation(`${printable(r.name)}: ${r.state}${extra ? ` (${extra})` : ''}`));
  }
  return lines;
}

/** The full human report: answer line, then evidence. */
export function formatVerdict(
  verdict: Verdict,
  extras: { repro?: ReproStatus | undefined; statePath?: string; color?: boolean } = {},
): string {
  const { evidence } = verdict;
  const expected = expectedOf(verdict);
  const lines = [answerLine(verdict)];
  // A rebuilder that signed different bytes is too important to leave in the evidence only.
  const reproAlarm = extras.repro ? reproSummary(extras.repro) : undefined;
  if (reproAlarm?.alarm) lines.push(red(reproAlarm.text, extras.color === true));
  lines.push('');
  lines.push(field('file', `${evidence.file.name}, ${evidence.file.size} bytes`));
  lines.push(field('sha256', `${evidence.file.sha256}  computed`));
  if (expected) {
    const same = expected.sha256.toLowerCase() === evidence.file.sha256.toLowerCase();
    lines.push(
      continuation(
        `${expected.sha256}  expected (${same ? 'same' : 'DIFFERENT'})${evidence.facts ? `, from ${referenceWords(evidence)}` : ''}`,
      ),
    );
  }
  if (evidence.file.sha512) lines.push(field('sha512', `${evidence.file.sha512}  computed`));
  if (expected) {
    lines.push(
      field(
        'size',
        `${evidence.file.size} bytes (${sizeWords(evidence.file.size)}), expected ${expected.size} (${sizeWords(expected.size)})`,
      ),
    );
    lines.push(field('release', `${describeRelease(expected)}, ${expected.name}, ${expected.url}`));
  }
  if (verdict.kind === 'verified') {
    const s = verdict.signer;
    lines.push(field('signer', `pinned key ${s.primaryFingerprint}, signing key ${s.signingKeyFingerprint}`));
    lines.push(field('signed', `${s.signatureTime} (signature over the ${s.over})`));
    if (evidence.facts?.release === 'unsigned') {
      // The image signature vouches for the bytes; no signature names the release.
      lines.push(
        field(
          'note',
          `the signature covers the bytes, not a release: ${verdict.expected.version} is what the unsigned description says`,
        ),
      );
    }
  }
  if (evidence.facts) {
    const f = evidence.facts;
    lines.push(
      field(
        'facts',
        `release number: ${sourceWords(f.release)}; expected size and SHA-256: ${sourceWords(f.reference)}${f.bytes ? `; the file's bytes: ${sourceWords(f.bytes)}` : ''}`,
      ),
    );
  }
  (evidence.warnings ?? []).forEach((w, i) =>
    lines.push((i === 0 ? field.bind(null, 'warning') : continuation)(describeWarning(w))),
  );
  evidence.signatures.forEach((sig, i) =>
    lines.push((i === 0 ? field.bind(null, 'signatures') : continuation)(describeSignature(sig))),
  );
  evidence.inputs.forEach((input, i) =>
    lines.push((i === 0 ? field.bind(null, 'inputs') : continuation)(describeInput(input))),
  );
  if (extras.repro) lines.push(...reproLines(extras.repro, extras.color === true));
  lines.push(field('profile', evidence.profile));
  if (extras.statePath) lines.push(field('state', extras.statePath));
  lines.push(field('checked', evidence.checkedAt));
  return `${lines.join('\n')}\n`;
}

/** Digest lines for a hashed file (check-signature evidence). */
export function digestLines(name: string, result: HashResult): string[] {
  const lines = [field('file', `${name}, ${result.bytes} bytes`)];
  for (const [algorithm, hex] of Object.entries(result.digests)) if (hex) lines.push(field(algorithm, hex));
  return lines;
}

export { field as evidenceField, continuation as evidenceContinuation };
