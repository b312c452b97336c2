/**
 * `iso-verify attest`: for a person who rebuilt a release. Writes a signed in-toto link saying
 * "I rebuilt <file> and got these bytes" (src/cli/attest/), or makes the key pair to sign with.
 * The link is read by the reproducibility status exactly like a rebuilderd attestation.
 *
 * Before signing, the image is verified against the signed release exactly as `verify` does
 * (the same release inputs, the one pipeline): a link naming other bytes than the release's is
 * shown to every user as "a rebuilder got different bytes", so a build that differs, or one
 * that nothing signed could be compared with, is refused unless --publish-mismatch says the
 * rebuilder means it. Only signed facts decide "the same": the verified file's SHA-256
 * (signedSha256), never the unsigned description's.
 */
import { IsoVerifyError } from '../../core/errors.js';
import { staticLinkPath } from '../../core/repro/static-reproducer.js';
import { isProven, type Verdict } from '../../core/verdict.js';
import { parseImageFileName, signedSha256 } from '../../core/verify/index.js';
import { parseCommandArgs, stringOption, usageError } from '../args.js';
import { makeReproducerLink } from '../attest/make-link.js';
import { publishLink } from '../attest/publish.js';
import { createSigningKey, publicKeyPem, readSigningKey } from '../attest/signing-key.js';
import type { CliContext } from '../context.js';
import { stateNotSavedNote } from '../file-trust-state.js';
import { answerLine, failureReason } from '../format.js';
import { resolvePath } from '../local-files.js';
import { prepareLocalImage, verifyLocalImage } from '../local-image.js';
import { ATTEST_RELEASE_INPUT_OPTIONS, readReleaseInputs, type ReleaseInputs } from '../release-options.js';
import { red, useColor } from '../repro-report.js';
import { EXIT_NOT_AUTHENTIC, EXIT_OK, EXIT_UNVERIFIABLE, reportError, reportFailure } from '../report.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify attest <image> --key <file> [--out <dir>] [--publish-mismatch]
         [--profile tails|demo|<file.json>] [--offline] [--descriptor <url|path>]
         [--signature <url|path>] [--image-signature <url|path>]
         [--upgrade-description <url|path> [--upgrade-signature <url|path>]]
         [--release-key <url|path>]... [--fingerprint <FPR>]... [--state <file>]
       iso-verify attest --new-key --key <file>

For people who rebuild a release from source (docs/reproduce.md). Writes a signed statement
that you rebuilt <image> and got exactly its bytes: an in-toto v0.9 link, in the shape
rebuilderd publishes, naming the file, its SHA-256 and SHA-512, the product and the version
(from the file name, by the profile's image pattern), signed with your Ed25519 key.

First it verifies <image> against the SIGNED release, exactly like 'iso-verify verify' (the
same release inputs): only the same bytes as the release the project signed are attested.
Different bytes, or a release that cannot be verified (unknown, unsigned, offline without
its inputs), are refused and nothing is written: every user would see that a rebuilder got
different bytes. --publish-mismatch signs anyway and says what it published.

  <image>            the image YOU built (never a downloaded copy)
  --key <file>       your private key (securesystemslib JSON, as written by --new-key or
                     'in-toto-keygen -t ed25519')
  --out <dir>        publish into a static tree: <dir>/<product>/<version>/<file>.link and
                     <dir>/index.json (serve <dir> from any HTTPS static host). Without it the
                     link is printed on stdout. A link already there that names other bytes is
                     never replaced (remove it yourself if your new build is the right one).
  --publish-mismatch sign even when your bytes differ from the signed release, or when no
                     signed release could be compared: users will see "a rebuilder got
                     different bytes" if they differ
  --profile <id|file>  which product's release and file names (default tails)
  --offline          never use the network: give the release data as files
  --descriptor, --signature, --image-signature, --upgrade-description, --upgrade-signature,
  --fingerprint, --state
                     the release inputs, as for 'iso-verify verify'
  --release-key <url|path>  extra OpenPGP key material for the release's signatures
                     (repeatable; 'iso-verify verify --key'): counts only if pinned
  --new-key          make a key pair: <file> (private, mode 0600) and <file>.pub; never
                     overwrites. Prints the public key as a profile pins it.
  -h, --help         show this help

Exit status: 0 written (the same bytes as the signed release, or --publish-mismatch);
1 refused: your bytes differ from the signed release (nothing written); 2 refused: nothing
signed could be compared (nothing written), or usage, I/O or key errors.
`;

export const attestCommand: Command = {
  name: 'attest',
  summary: 'sign a statement that you reproduced an image (or --new-key: make your key)',
  help: HELP,
  async run(args, context) {
    try {
      const { values, positionals, help } = parseCommandArgs(
        'attest',
        args,
        {
          ...ATTEST_RELEASE_INPUT_OPTIONS,
          key: { type: 'string' },
          out: { type: 'string' },
          'new-key': { type: 'boolean' },
          'publish-mismatch': { type: 'boolean' },
          offline: { type: 'boolean' },
        },
        { names: ['image'], min: 0, max: 1 },
      );
      if (help) {
        context.stdout.write(HELP);
        return EXIT_OK;
      }
      const keyFile = stringOption(values, 'key');
      if (keyFile === undefined) throw usageError('attest: --key <file> is required');
      if (values['new-key'] === true) {
        const others = Object.keys(values).filter((name) => name !== 'new-key' && name !== 'key');
        if (positionals.length > 0 || others.length > 0) throw usageError('attest: --new-key takes only --key <file>');
        return await newKey(context, resolvePath(context.cwd, keyFile));
      }
      const image = positionals[0];
      if (image === undefined) throw usageError('attest: missing <image>');
      const out = stringOption(values, 'out');
      return await attest(context, {
        image,
        keyFile: resolvePath(context.cwd, keyFile),
        ...(out !== undefined ? { out: resolvePath(context.cwd, out) } : {}),
        ...readReleaseInputs('attest', values, context, 'release-key'),
        offline: values.offline === true,
        publishMismatch: values['publish-mismatch'] === true,
      });
    } catch (error) {
      return reportError(context, error);
    }
  },
};

async function newKey(context: CliContext, file: string): Promise<number> {
  const key = await createSigningKey(file);
  const pem = publicKeyPem(key.publicKeyHex);
  context.stderr.write(
    `private key: ${file} (mode 0600, keep it secret)\npublic key:  ${key.publicFile}\nkeyid:       ${key.keyId}\n\n`,
  );
  context.stdout.write(pem);
  context.stderr.write(
    `\nA profile pins it as (JSON string):\n  "publicKeyPem": ${JSON.stringify(pem)}\n` +
      'and people can paste the PEM above into the options page ("Add a reproducer").\n',
  );
  return EXIT_OK;
}

interface AttestOptions extends ReleaseInputs {
  image: string;
  keyFile: string;
  out?: string;
  offline: boolean;
  publishMismatch: boolean;
}

/**
 * What the verification says about the rebuilt bytes. `same`: verified, so its SHA-256 is the
 * one a pinned signature vouches for. `different`: a signed fact proves other bytes (a signed
 * size or hash, or the pinned key's image signature, contradicts them). `unknown`: nothing
 * signed decided (offline, unsigned, unknown key, another release, a rollback, …).
 */
export type Comparison = { kind: 'same'; sha256: string } | { kind: 'different' | 'unknown'; why: string };

export function compareWithRelease(verdict: Verdict, sha256: string): Comparison {
  if (verdict.kind === 'verified') {
    if (signedSha256(verdict) !== sha256)
      throw new IsoVerifyError('internal', 'the verified hash is not the hash of the file attested');
    return { kind: 'same', sha256 };
  }
  const sized = verdict.kind === 'mismatch' || verdict.kind === 'incomplete' || verdict.kind === 'oversized';
  if (sized && isProven(verdict)) return { kind: 'different', why: failureReason(verdict)! };
  // The size and hash matched (an unsigned description's), but the pinned key's image
  // signature does not verify over these bytes: they are not the bytes it signed.
  const badImageSignature = verdict.evidence.signatures.some(
    (s) => s.over === 'image' && !s.good && s.error?.code === 'signature-bad',
  );
  if (verdict.kind === 'unverifiable' && verdict.reason === 'signature-bad' && badImageSignature)
    return { kind: 'different', why: 'the image signature by the pinned key does not match these bytes' };
  return { kind: 'unknown', why: failureReason(verdict) ?? verdict.kind };
}

async function attest(context: CliContext, options: AttestOptions): Promise<number> {
  // Everything local first (profile, image, release inputs, the file's name, the key), so a
  // typo or a wrong key fails before gigabytes are hashed.
  const image = await prepareLocalImage('attest', context, options.image, options);
  const { profile, fileName: savedName } = image;
  const parsed = parseImageFileName(profile, savedName);
  if (!parsed) {
    throw new IsoVerifyError(
      'input-invalid-value',
      `${savedName} is not an image file name of profile ${profile.id} (keep the release's file name)`,
    );
  }
  const key = await readSigningKey(options.keyFile);
  const { verdict, hashed, trustState } = await verifyLocalImage(context, image, options);
  const stateNote = stateNotSavedNote(trustState);
  if (stateNote !== undefined) reportFailure(context, 'warning', stateNote);
  const sha256 = hashed.digests.sha256!;
  const comparison = compareWithRelease(verdict, sha256);
  const loud = useColor(context.stderr, context.env);

  if (comparison.kind !== 'same' && !options.publishMismatch) {
    reportFailure(context, 'refused', refusal(comparison, savedName, profile.product));
    return comparison.kind === 'different' ? EXIT_NOT_AUTHENTIC : EXIT_UNVERIFIABLE;
  }
  // "tails-amd64-7.2 (1).img" is a copy of tails-amd64-7.2.img: the link names the published
  // file, the one every verifier looks up; a verified file is the one the signature names.
  const fileName = verdict.kind === 'verified' ? verdict.expected.name : parsed.name;
  const release = { product: profile.product, version: parsed.version, fileName };
  const link = await makeReproducerLink(key, { ...release, sha256, sha512: hashed.digests.sha512! });
  if (comparison.kind === 'same') context.stderr.write(`compared with the signed release: ${answerLine(verdict)}\n`);

  if (options.out === undefined) {
    context.stdout.write(link.text);
  } else {
    const written = await publishLink(
      options.out,
      release,
      { text: link.text, sha256 },
      { keyId: key.keyId, publicKeyPem: publicKeyPem(key.publicKeyHex) },
    );
    context.stdout.write(
      `wrote ${written.linkFile}\nupdated ${written.indexFile}\n` +
        `serve ${options.out} at <base URL>; ISO Verify fetches <base URL>/${written.urlPath}\n` +
        `(${staticLinkPath(release).join('/')}: ${profile.product} ${parsed.version}, sha256 ${sha256}, keyid ${key.keyId})\n`,
    );
  }
  if (comparison.kind !== 'same') {
    const label = comparison.kind === 'different' ? 'PUBLISHED A MISMATCH' : 'PUBLISHED WITHOUT COMPARISON';
    context.stderr.write(
      `${red(`iso-verify: ${label}: ${published(comparison, savedName, profile.product, sha256, options.out !== undefined)}`, loud)}\n`,
    );
  }
  return EXIT_OK;
}

function refusal(comparison: Exclude<Comparison, { kind: 'same' }>, name: string, product: string): string {
  if (comparison.kind === 'different') {
    return (
      `your build ${name} is not the release ${product} signed: ${comparison.why}. ` +
      'If you publish this link, every user will see that a rebuilder got different bytes. ' +
      'Nothing was signed or written. Find out why first (docs/reproduce.md); to publish the difference on purpose, add --publish-mismatch.'
    );
  }
  return (
    `nothing signed could be compared with your build ${name}: ${comparison.why}. ` +
    `A link says you got the bytes of the release ${product} signed; if yours are not, every user will see that a rebuilder got different bytes. ` +
    "Nothing was signed or written. Give the release's signed data (--image-signature, --descriptor, …, as for 'iso-verify verify'), or add --publish-mismatch to sign without comparing."
  );
}

function published(
  comparison: Exclude<Comparison, { kind: 'same' }>,
  name: string,
  product: string,
  sha256: string,
  toTree: boolean,
): string {
  const where = toTree ? 'published' : 'printed';
  if (comparison.kind === 'different') {
    return (
      `your build ${name} is not the release ${product} signed (${comparison.why}). ` +
      `The link ${where} names your bytes (sha256 ${sha256}): every user who counts your key will see that a rebuilder got different bytes.`
    );
  }
  return (
    `nothing signed could be compared with your build ${name} (${comparison.why}). ` +
    `The link ${where} names your bytes (sha256 ${sha256}): if they are not the release's, every user who counts your key will see that a rebuilder got different bytes.`
  );
}
