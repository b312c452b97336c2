/**
 * `iso-verify repro <image-file-or-name>`: which independent rebuilders reproduced a release,
 * checked cryptographically (src/core/repro). The attestations are compared with the release
 * hash from the SIGNED release data, obtained through the same pipeline as `verify`:
 *
 * - an image file on disk is hashed and verified first; rebuilders are asked only when the
 *   verdict is 'verified' (so the signed hash and the file's hash are the same);
 * - a bare file name (nothing on disk by that name) needs a release hash without the image: the
 *   description must be signed by the pinned key; if the profile does not sign it, the unsigned
 *   checksum is used, marked as such, and the command cannot succeed (exit 2 at best).
 *
 * Rebuilders are a second signal: nothing they send changes a verdict here or in `verify`.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { IsoVerifyError } from '../../core/errors.js';
import type { Profile } from '../../core/profile.js';
import { signedSha256 } from '../../core/verify/index.js';
import { checkReproducibility } from '../../core/repro/status.js';
import type { ReproStatus } from '../../core/repro/types.js';
import type { ErrorInfo } from '../../core/errors.js';
import type { ExpectedFile, SignatureDetails, VerdictKind, WrongReleaseReason } from '../../core/verdict.js';
import { fetchReleaseMaterial, releaseFileFacts } from '../../core/verify/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { createFileTrustState, stateNotSavedNote } from '../file-trust-state.js';
import {
  answerLine,
  describeRelease,
  evidenceContinuation,
  evidenceField,
  failureReason,
  wrongReleaseLine,
} from '../format.js';
import { describeError } from '../messages.js';
import { resolvePath } from '../local-files.js';
import { verifyLocalImage } from '../local-image.js';
import { createNodeFetcher } from '../node-fetcher.js';
import { loadProfileOption } from '../profile-option.js';
import { NO_REPRODUCERS, red, reproNotes, reproSummary, reproTable, useColor } from '../repro-report.js';
import { EXIT_NOT_AUTHENTIC, EXIT_OK, EXIT_UNVERIFIABLE, reportError, reportFailure } from '../report.js';
import { userAgent } from '../user-agent.js';
import { readReleaseInputs, RELEASE_INPUT_OPTIONS, type ReleaseInputs } from '../release-options.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify repro <image-file-or-name> [--profile tails|demo|<file.json>] [--json]
         [--descriptor <url|path>] [--signature <url|path>] [--image-signature <url|path>]
         [--key <url|path>]... [--fingerprint <FPR>]... [--state <file>]

Ask the rebuilders the profile pins whether they independently rebuilt the release and got the
same bytes. Each rebuilder's attestation must be signed by its pinned Ed25519 key and name the
SIGNED release hash (and, for a file, the file's hash).

  <image-file>  an image on disk: it is hashed and verified like 'iso-verify verify'; the
                rebuilders are asked only when it is verified.
  <name>        a file name with no such file on disk (e.g. tails-amd64-7.2.img): the release
                hash comes from the image description, which must be signed by the pinned key.
                If the profile does not sign its description, only an unsigned hash is
                available: it is checked and marked UNSIGNED, a rebuilder naming other bytes
                is "not confirmed" (no alarm), and the exit status is always 2.

Options:
  --profile <id|file>        built-in profile (tails, demo) or a profile JSON file
  --json                     print one JSON object: {"exitStatus", "release": {...}, "repro": ReproStatus|null}
  --descriptor, --signature, --image-signature, --upgrade-description, --upgrade-signature,
  --key, --fingerprint, --state
                             replace release inputs, as for 'iso-verify verify'
  -h, --help                 show this help

Rebuilders are always asked over the network (there is no --offline); release inputs may be
local paths.

Exit status: 0 the release hash is signed and at least the threshold of distinct pinned
rebuilders reproduced it, none differing; 1 a rebuilder's signed attestation names DIFFERENT
bytes than the signed release hash; 2 otherwise: not reproduced by enough rebuilders yet (pending, failed, unknown,
unreachable, bad attestation), the profile pins no rebuilders, only an unsigned release hash,
or the file / release data could not be verified.
`;

interface ReproOptions extends ReleaseInputs {
  image: string;
  json: boolean;
}

export const reproCommand: Command = {
  name: 'repro',
  summary: 'show which independent rebuilders reproduced a release (signed attestations)',
  help: HELP,
  async run(args, context) {
    const { values, positionals, help } = parseCommandArgs(
      'repro',
      args,
      {
        ...RELEASE_INPUT_OPTIONS,
        json: { type: 'boolean' },
      },
      { names: ['image-file-or-name'], min: 1, max: 1 },
    );
    if (help) {
      context.stdout.write(HELP);
      return EXIT_OK;
    }
    const options: ReproOptions = {
      image: positionals[0]!,
      ...readReleaseInputs('repro', values, context),
      json: values.json === true,
    };
    try {
      return await repro(context, options);
    } catch (error) {
      return reportError(context, error, 'unverifiable');
    }
  },
};

/** What the operand is: an image on disk, or only the name of a release file. */
type Target = { kind: 'file'; path: string; fileName: string } | { kind: 'name'; fileName: string };

async function classifyOperand(cwd: string, operand: string): Promise<Target> {
  const file = resolvePath(cwd, operand);
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new IsoVerifyError('io-failed', `${file}: not a regular file`);
    return { kind: 'file', path: file, fileName: path.basename(file) };
  } catch (error) {
    if (error instanceof IsoVerifyError) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    // Only a bare name may stand for a release file; a missing path is a typo to report.
    if (code === 'ENOENT' && !/[/\\]/.test(operand) && operand !== '.' && operand !== '..')
      return { kind: 'name', fileName: operand };
    throw new IsoVerifyError(
      'io-failed',
      `${file}: ${code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The release hash the attestations are compared with, and how far it can be trusted. */
interface ReleaseHash {
  target: Target;
  /** The verdict's kind for a file; for a bare name, what the release data gave (never a made-up verdict). */
  outcome: VerdictKind;
  /** The one-line answer when there is no hash to compare with. */
  answer: string;
  /** Present when a hash is usable: signed or, for a bare name, unsigned. */
  expected?: ExpectedFile;
  signed: boolean;
  /** The signature that vouches for the hash. */
  signer?: {
    primaryFingerprint?: string | undefined;
    signingKeyFingerprint?: string | undefined;
    signatureTime?: string | undefined;
    over: SignatureDetails['over'];
  };
  reason?: string;
  error?: ErrorInfo;
  fileSha256?: string;
  /** Why the hash is unsigned or unusable. */
  why?: string;
  profileId: string;
  /** For a file: the rebuilders' status, asked by the verification pipeline (null: not asked). */
  status?: ReproStatus | null;
}

/** An image on disk: the full verification; only 'verified' yields a hash (the signed one). */
async function releaseForFile(
  context: CliContext,
  profile: Profile,
  target: Extract<Target, { kind: 'file' }>,
  options: ReproOptions,
): Promise<ReleaseHash> {
  // The same verification as `verify` (rebuilders asked only when the verdict allows it:
  // verified, so the signed hash is the file's hash).
  const { verdict, repro, trustState } = await verifyLocalImage(
    context,
    { profile, path: target.path, fileName: target.fileName },
    { ...options, offline: false },
    { askRebuilders: true },
  );
  warnStateNotSaved(context, trustState);
  const base = {
    target,
    outcome: verdict.kind,
    answer: answerLine(verdict),
    fileSha256: verdict.evidence.file.sha256,
    profileId: profile.id,
  };
  if (verdict.kind === 'verified') {
    // The signed hash is the verified file's own (the bytes the signature proves); in
    // image-signature mode verdict.expected's size and SHA-256 are the unsigned description's (#20).
    const expected = { ...verdict.expected, sha256: signedSha256(verdict)!, size: verdict.evidence.file.size };
    return { ...base, expected, signed: true, signer: verdict.signer, status: (await repro) ?? null };
  }
  return {
    ...base,
    signed: false,
    why: failureReason(verdict) ?? verdict.kind,
    ...(verdict.kind === 'unverifiable' ? { reason: verdict.reason, error: verdict.error } : {}),
  };
}

/**
 * A bare name: no bytes, so no image signature can be checked. The core's releaseFileFacts
 * applies the same rules as a verification (description signature over the raw bytes,
 * product, age, rollback, upgrade descriptions) and says which signature, if any, vouches
 * for the hash the release lists under that name.
 */
async function releaseForName(
  context: CliContext,
  profile: Profile,
  target: Extract<Target, { kind: 'name' }>,
  options: ReproOptions,
  fetcher: ReturnType<typeof createNodeFetcher>,
): Promise<ReleaseHash> {
  const { imageSignature: _ignored, ...overrides } = options.overrides;
  const material = await fetchReleaseMaterial(profile, target.fileName, fetcher, { signal: context.signal, overrides });
  const facts = await releaseFileFacts({
    profile,
    material,
    fileName: target.fileName,
    trustState: createFileTrustState(options.statePath),
    now: context.now(),
  });
  const base = { target, profileId: profile.id };
  if (facts.ok && facts.source !== 'unsigned') {
    const s = facts.signature!;
    return {
      ...base,
      outcome: 'verified',
      answer: `${describeRelease(facts.expected)}: its SHA-256 is signed (${s.over} signature)`,
      expected: facts.expected,
      signed: true,
      signer: {
        primaryFingerprint: s.primaryFingerprint,
        signingKeyFingerprint: s.signingKeyFingerprint,
        signatureTime: s.signatureTime,
        over: s.over,
      },
    };
  }
  if (facts.ok) {
    const why = `profile ${profile.id} does not sign its image description, no signed upgrade description names ${target.fileName}, and an image signature cannot be checked without the image`;
    return {
      ...base,
      outcome: 'checksum-only',
      answer: `only an unsigned checksum of ${describeRelease(facts.expected)} is known`,
      expected: facts.expected,
      signed: false,
      why,
    };
  }
  if (facts.error) {
    const why = describeError(facts.error);
    return {
      ...base,
      outcome: 'unverifiable',
      answer: `COULD NOT VERIFY ${target.fileName}: ${why}.`,
      signed: false,
      reason: facts.reason,
      error: facts.error,
      why,
    };
  }
  const answer = wrongReleaseLine(target.fileName, facts.reason as WrongReleaseReason, facts.expected);
  return { ...base, outcome: 'wrong-release', answer, signed: false, reason: facts.reason, why: answer };
}

async function repro(context: CliContext, options: ReproOptions): Promise<number> {
  const profile = await loadProfileOption(options.profile, context.cwd);
  if (profile.rebuilders.length === 0) {
    // Before hashing a large file for nothing.
    throw new IsoVerifyError(
      'input-invalid-value',
      `profile ${profile.id} pins no rebuilders or reproducers, so there is nobody to ask. ${NO_REPRODUCERS}`,
    );
  }
  const target = await classifyOperand(context.cwd, options.image);
  const fetcher = createNodeFetcher({
    fetch: context.fetch,
    cwd: context.cwd,
    userAgent: userAgent(),
    now: context.now,
  });
  const release =
    target.kind === 'file'
      ? await releaseForFile(context, profile, target, options)
      : await releaseForName(context, profile, target, options, fetcher);

  let status: ReproStatus | null = release.status ?? null;
  if (target.kind === 'name' && release.expected) {
    status = await checkReproducibility({
      rebuilders: profile.rebuilders,
      threshold: profile.reproThreshold,
      fileName: release.expected.name,
      product: profile.product,
      version: release.expected.version,
      releaseSha256: release.expected.sha256,
      releaseHashSigned: release.signed,
      ...(release.fileSha256 && release.signed ? { fileSha256: release.fileSha256 } : {}),
      fetcher,
      signal: context.signal,
      now: context.now,
    });
  }
  const exitStatus = exitStatusFor(release, status);

  if (options.json) {
    context.stdout.write(`${JSON.stringify({ exitStatus, release: releaseJson(release), repro: status }, null, 2)}\n`);
  } else {
    context.stdout.write(formatRepro(release, status, useColor(context.stdout, context.env)));
  }
  if (exitStatus !== EXIT_OK) {
    if (!status)
      reportFailure(context, 'unverifiable', `no release hash to compare with: ${release.why ?? release.outcome}`);
    else if (status.anyMismatch && release.signed) reportFailure(context, 'mismatch', reproSummary(status).text);
    else
      reportFailure(
        context,
        'not reproduced',
        release.signed ? reproSummary(status).text : `only an unsigned release hash: ${release.why}`,
      );
  }
  return exitStatus;
}

/**
 * 0 signed and met; 1 a rebuilder's signed attestation names other bytes than the SIGNED release
 * hash; 2 anything else — also any comparison with an unsigned hash (#20).
 */
export function exitStatusFor(release: Pick<ReleaseHash, 'signed'>, status: ReproStatus | null): 0 | 1 | 2 {
  if (!status || !release.signed) return EXIT_UNVERIFIABLE;
  if (status.anyMismatch) return EXIT_NOT_AUTHENTIC;
  return status.met && release.signed ? EXIT_OK : EXIT_UNVERIFIABLE;
}

function releaseJson(release: ReleaseHash): Record<string, unknown> {
  const { target, expected } = release;
  return {
    source: target.kind,
    fileName: target.fileName,
    ...(target.kind === 'file' ? { path: target.path, fileSha256: release.fileSha256 } : {}),
    verdict: release.outcome,
    signed: release.signed,
    ...(expected
      ? {
          product: expected.product,
          version: expected.version,
          type: expected.type,
          name: expected.name,
          size: expected.size,
          sha256: expected.sha256,
        }
      : {}),
    ...(release.signer ? { signer: release.signer } : {}),
    ...(release.outcome === 'unverifiable' && release.reason ? { reason: release.reason, error: release.error } : {}),
    ...(release.why ? { why: release.why } : {}),
  };
}

function formatRepro(release: ReleaseHash, status: ReproStatus | null, color: boolean): string {
  const { target, expected } = release;
  const lines: string[] = [];
  if (!status || !expected) {
    lines.push(`REBUILDERS NOT ASKED: ${release.answer}`);
    lines.push('Rebuild attestations are compared only with a release hash the pinned key signed.');
    if (release.why) lines.push('', evidenceField('why', release.why));
    return `${lines.join('\n')}\n`;
  }
  const summary = reproSummary(status, { unsignedRelease: !release.signed });
  lines.push(red(summary.text, summary.alarm && color), '');
  lines.push(evidenceField('release', `${describeRelease(expected)}, ${expected.name}`));
  if (release.signed && release.signer) {
    const s = release.signer;
    lines.push(
      evidenceField(
        'sha256',
        `${expected.sha256}  signed (${s.over} signature by pinned key ${s.primaryFingerprint}, made ${s.signatureTime})`,
      ),
    );
  } else {
    lines.push(evidenceField('sha256', `${expected.sha256}  UNSIGNED checksum only`));
    if (release.why) lines.push(evidenceContinuation(`(${release.why})`));
  }
  if (target.kind === 'file') lines.push(evidenceField('file', `${target.path}: verified, same sha256`));
  else lines.push(evidenceField('file', 'none given: rebuilders are compared with the release hash only'));
  lines.push('', ...reproTable(status).map((l) => `  ${l}`));
  const notes = reproNotes(status);
  if (notes.length > 0)
    lines.push('', ...notes.map((n, i) => (i === 0 ? evidenceField('notes', n) : evidenceContinuation(n))));
  lines.push('', evidenceField('profile', release.profileId), evidenceField('checked', status.checkedAt));
  return `${lines.join('\n')}\n`;
}

/** A finished check whose rollback record could not be written says so, separately. */
function warnStateNotSaved(context: CliContext, trustState: ReturnType<typeof createFileTrustState>): void {
  const note = stateNotSavedNote(trustState);
  if (note !== undefined) reportFailure(context, 'warning', note);
}
