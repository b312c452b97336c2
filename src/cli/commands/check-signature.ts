/**
 * `iso-verify check-signature <file> <signature>`: verify one detached OpenPGP signature over
 * any file, with the same policy as release data (pinned primary key, accepted algorithms,
 * key valid at signature time). The file is streamed once through SHA-256 and SHA-512 and the
 * signature is checked against those hashes, so even a multi-GB image needs constant memory.
 *
 * Trust: pinned fingerprints are required. Without --profile, --key and --fingerprint are both
 * mandatory and ONLY the given fingerprints are pinned (trusting whatever key a file offers
 * would prove nothing). With --profile, the profile's key is used (plus any --key) and its pins
 * apply, unless --fingerprint is given, which then replaces them.
 */
import path from 'node:path';
import { LIMITS } from '../../core/net/types.js';
import { loadPinnedKeyring, readDetachedSignature, verifyDetachedFromHash } from '../../core/openpgp/index.js';
import type { SignatureDetails } from '../../core/verdict.js';
import { listOption, parseCommandArgs, stringOption, usageError } from '../args.js';
import type { CliContext } from '../context.js';
import { describeSignature, digestLines, evidenceContinuation, evidenceField } from '../format.js';
import { hashFile } from '../hash-file.js';
import { fingerprintOptions, readKeyFiles } from '../key-options.js';
import { resolvePath } from '../local-files.js';
import { describeError } from '../messages.js';
import { nativeEngine } from '../native-engine.js';
import { createNodeFetcher } from '../node-fetcher.js';
import { loadProfileOption } from '../profile-option.js';
import { EXIT_NOT_AUTHENTIC, EXIT_OK, EXIT_UNVERIFIABLE, reportError, reportFailure } from '../report.js';
import { userAgent } from '../user-agent.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify check-signature <file> <signature> --key <file|url> --fingerprint <FPR> [--json]
       iso-verify check-signature <file> <signature> --profile <tails|demo|file.json> [--key …] [--fingerprint …] [--json]

Verify a detached OpenPGP signature (binary or ASCII-armored) over any file, with the same
policy as release data: the signature must be made by a signing-capable key bound to a PINNED
primary key, valid when the signature was made, not revoked, SHA-256 or stronger, RSA >= 2048.
The file is streamed once (SHA-256 and SHA-512), so large images need constant memory.

Which keys are trusted:
  without --profile  --key and --fingerprint are both required; ONLY the primary keys named
                     by --fingerprint are pinned. A key file alone is never trusted.
  with --profile     the profile's signing key is used (plus any --key), and the profile's
                     pinned fingerprints apply; --fingerprint REPLACES them.

Options:
  --key <file|url>          OpenPGP public key material (repeatable)
  --fingerprint <FPR>       pinned primary-key fingerprint, 40 hex digits, spaces allowed (repeatable)
  --profile <id|file.json>  take keys and pins from a profile
  --json                    print one JSON object instead of text
  -h, --help                show this help

Exit status: 0 good signature; 1 bad signature (the file or signature was changed);
2 could not verify (unknown or unpinned key, expired or revoked key, weak algorithm,
malformed signature, unreadable file).
`;

type Outcome = 'good' | 'bad' | 'unverifiable';

const KIND_WORDS: Record<SignatureDetails['over'], string> = {
  image: 'image',
  description: 'image description',
  'upgrade-description': 'upgrade description',
};

/**
 * What the signed file is, from its name: a profile image name (or any .img/.iso) is an image,
 * `*.json` an image description (latest.json), `*.yml` an upgrade description; anything else
 * is just a file, labelled by its name alone.
 */
export function coveredKind(name: string, imagePattern?: string): SignatureDetails['over'] | undefined {
  if (/\.ya?ml$/i.test(name)) return 'upgrade-description';
  if (/\.json$/i.test(name)) return 'description';
  let matchesProfile = false;
  try {
    matchesProfile = imagePattern !== undefined && new RegExp(imagePattern).test(name);
  } catch {
    // a profile's pattern was validated on load; never fail a label on it
  }
  return matchesProfile || /\.(img|iso)$/i.test(name) ? 'image' : undefined;
}

/** The evidence label: the file's name and, when known, what kind of file it is. */
function coveredLabel(name: string, kind: SignatureDetails['over'] | undefined): string {
  return kind === undefined ? name : `${name} (${KIND_WORDS[kind]})`;
}

function outcomeOf(details: SignatureDetails): Outcome {
  if (details.good) return 'good';
  return details.error?.code === 'signature-bad' ? 'bad' : 'unverifiable';
}

const EXIT: Record<Outcome, number> = { good: EXIT_OK, bad: EXIT_NOT_AUTHENTIC, unverifiable: EXIT_UNVERIFIABLE };

export const checkSignatureCommand: Command = {
  name: 'check-signature',
  summary: 'verify a detached OpenPGP signature over any file, against pinned keys',
  help: HELP,
  async run(args, context) {
    const { values, positionals, help } = parseCommandArgs(
      'check-signature',
      args,
      {
        key: { type: 'string', multiple: true },
        fingerprint: { type: 'string', multiple: true },
        profile: { type: 'string' },
        json: { type: 'boolean' },
      },
      { names: ['file', 'signature'], min: 2, max: 2 },
    );
    if (help) {
      context.stdout.write(HELP);
      return EXIT_OK;
    }
    const keySources = listOption(values, 'key');
    const fingerprints = fingerprintOptions('check-signature', listOption(values, 'fingerprint'));
    const profileOption = stringOption(values, 'profile');
    if (profileOption === undefined && keySources.length === 0) {
      throw usageError('check-signature: --key is required (or --profile)');
    }
    if (profileOption === undefined && fingerprints.length === 0) {
      throw usageError(
        'check-signature: --fingerprint is required: a key file alone is never trusted (or use --profile)',
      );
    }
    try {
      return await checkSignature(
        context,
        positionals[0]!,
        positionals[1]!,
        keySources,
        fingerprints,
        profileOption,
        values.json === true,
      );
    } catch (error) {
      return reportError(context, error, 'unverifiable');
    }
  },
};

async function checkSignature(
  context: CliContext,
  fileArg: string,
  signatureArg: string,
  keySources: string[],
  fingerprintArgs: string[],
  profileOption: string | undefined,
  json: boolean,
): Promise<number> {
  const { signal } = context;
  const fetcher = createNodeFetcher({
    fetch: context.fetch,
    cwd: context.cwd,
    userAgent: userAgent(),
    now: context.now,
  });
  const profile = profileOption === undefined ? undefined : await loadProfileOption(profileOption, context.cwd);
  const pinned = fingerprintArgs.length > 0 ? fingerprintArgs : profile!.pinnedFingerprints;
  const keyMaterial: Array<string | Uint8Array> = [
    ...(profile ? [profile.signingKey] : []),
    ...(await readKeyFiles(fetcher, keySources, signal)),
  ];

  // Parse the signature and load the keys before hashing, so bad input fails at once.
  const signatureBytes = (
    await fetcher(signatureArg, { maxBytes: LIMITS.signature, timeoutMs: LIMITS.fetchTimeoutMs, signal })
  ).bytes;
  const signature = await readDetachedSignature(signatureBytes);
  const keyring = await loadPinnedKeyring(keyMaterial, pinned);

  const file = resolvePath(context.cwd, fileArg);
  const kind = coveredKind(path.basename(file), profile?.imagePattern);
  const hashed = await hashFile(file, {
    algorithms: ['sha256', 'sha512'],
    engine: nativeEngine,
    progressTo: context.stderr,
    signal,
  });
  const details = await verifyDetachedFromHash(keyring, signature, hashed.continuations, {
    over: kind ?? 'image',
    now: context.now(),
  });
  const outcome = outcomeOf(details);

  if (json) {
    const report = {
      verdict: outcome,
      exitStatus: EXIT[outcome],
      file: {
        name: path.basename(file),
        path: file,
        size: hashed.bytes,
        sha256: hashed.digests.sha256,
        sha512: hashed.digests.sha512,
      },
      signature: { ...details, covers: path.basename(file), ...(kind === undefined ? { over: 'file' } : {}) },
      pinnedFingerprints: [...pinned],
      keys: [...(profile ? [`profile:${profile.id}`] : []), ...keySources],
      ...(profile ? { profile: profile.id } : {}),
    };
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const name = path.basename(file);
    const answer =
      outcome === 'good'
        ? `GOOD SIGNATURE: ${name} is signed by the pinned key ${details.primaryFingerprint ?? ''}.`
        : outcome === 'bad'
          ? `BAD SIGNATURE: ${name} does not match its signature: the file or the signature was changed.`
          : `COULD NOT VERIFY the signature of ${name}: ${details.error ? describeError(details.error) : 'no reason given'}.`;
    const lines = [
      answer,
      '',
      ...digestLines(name, hashed),
      evidenceField('signature', describeSignature(details, coveredLabel(name, kind))),
    ];
    lines.push(evidenceField('source', signatureArg));
    lines.push(
      evidenceField(
        'pinned',
        `${pinned[0]}${fingerprintArgs.length > 0 ? ' (--fingerprint)' : ` (profile ${profile!.id})`}`,
      ),
    );
    for (const fpr of pinned.slice(1)) lines.push(evidenceContinuation(fpr));
    context.stdout.write(`${lines.join('\n')}\n`);
  }
  if (outcome !== 'good') {
    reportFailure(
      context,
      outcome === 'bad' ? 'bad signature' : 'unverifiable',
      details.error ? describeError(details.error) : 'the signature is not good',
    );
  }
  return EXIT[outcome];
}
