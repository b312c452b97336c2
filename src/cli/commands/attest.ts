/**
 * `iso-verify attest`: for a person who rebuilt a release. Writes a signed in-toto link saying
 * "I rebuilt <file> and got these bytes" (src/cli/attest/), or makes the key pair to sign with.
 * The link is read by the reproducibility status exactly like a rebuilderd attestation.
 */
import path from 'node:path';
import { IsoVerifyError } from '../../core/errors.js';
import { staticLinkPath } from '../../core/repro/static-reproducer.js';
import { parseImageFileName } from '../../core/verify/index.js';
import { parseCommandArgs, stringOption, usageError } from '../args.js';
import { makeReproducerLink } from '../attest/make-link.js';
import { publishLink } from '../attest/publish.js';
import { createSigningKey, publicKeyPem, readSigningKey } from '../attest/signing-key.js';
import type { CliContext } from '../context.js';
import { hashFile } from '../hash-file.js';
import { resolvePath } from '../local-files.js';
import { nativeEngine } from '../native-engine.js';
import { loadProfileOption } from '../profile-option.js';
import { EXIT_OK, reportError } from '../report.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify attest <image> --key <file> [--out <dir>] [--profile tails|demo|<file.json>]
       iso-verify attest --new-key --key <file>

For people who rebuild a release from source (docs/reproduce.md). Writes a signed statement
that you rebuilt <image> and got exactly its bytes: an in-toto v0.9 link, in the shape
rebuilderd publishes, naming the file, its SHA-256 and SHA-512, the product and the version
(from the file name, by the profile's image pattern), signed with your Ed25519 key.

  <image>            the image YOU built (never a downloaded copy)
  --key <file>       your private key (securesystemslib JSON, as written by --new-key or
                     'in-toto-keygen -t ed25519')
  --out <dir>        publish into a static tree: <dir>/<product>/<version>/<file>.link and
                     <dir>/index.json (serve <dir> from any HTTPS static host). Without it the
                     link is printed on stdout.
  --profile <id|file>  which product's file names to read (default tails)
  --new-key          make a key pair: <file> (private, mode 0600) and <file>.pub; never
                     overwrites. Prints the public key as a profile pins it.
  -h, --help         show this help

Exit status: 0 written; 2 usage, I/O or key errors.
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
          key: { type: 'string' },
          out: { type: 'string' },
          profile: { type: 'string' },
          'new-key': { type: 'boolean' },
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
        if (positionals.length > 0 || values.out !== undefined)
          throw usageError('attest: --new-key takes only --key <file>');
        return await newKey(context, resolvePath(context.cwd, keyFile));
      }
      const image = positionals[0];
      if (image === undefined) throw usageError('attest: missing <image>');
      const out = stringOption(values, 'out');
      return await attest(context, {
        image: resolvePath(context.cwd, image),
        keyFile: resolvePath(context.cwd, keyFile),
        ...(out !== undefined ? { out: resolvePath(context.cwd, out) } : {}),
        profile: stringOption(values, 'profile'),
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

async function attest(
  context: CliContext,
  options: { image: string; keyFile: string; out?: string; profile: string | undefined },
): Promise<number> {
  const profile = await loadProfileOption(options.profile, context.cwd);
  const savedName = path.basename(options.image);
  const parsed = parseImageFileName(profile, savedName);
  if (!parsed) {
    throw new IsoVerifyError(
      'input-invalid-value',
      `${savedName} is not an image file name of profile ${profile.id} (keep the release's file name)`,
    );
  }
  // "tails-amd64-7.2 (1).img" is a copy of tails-amd64-7.2.img: the link names the published
  // file, the one every verifier looks up.
  const fileName = parsed.name;
  // Read the key before hashing gigabytes, so a wrong key fails fast.
  const key = await readSigningKey(options.keyFile);
  const hashed = await hashFile(options.image, {
    algorithms: ['sha256', 'sha512'],
    engine: nativeEngine,
    progressTo: context.stderr,
    signal: context.signal,
  });
  const release = { product: profile.product, version: parsed.version, fileName };
  const link = await makeReproducerLink(key, {
    ...release,
    sha256: hashed.digests.sha256!,
    sha512: hashed.digests.sha512!,
  });
  if (options.out === undefined) {
    context.stdout.write(link.text);
    return EXIT_OK;
  }
  const written = await publishLink(
    options.out,
    release,
    { text: link.text, sha256: hashed.digests.sha256! },
    { keyId: key.keyId, publicKeyPem: publicKeyPem(key.publicKeyHex) },
  );
  context.stdout.write(
    `wrote ${written.linkFile}\nupdated ${written.indexFile}\n` +
      `serve ${options.out} at <base URL>; ISO Verify fetches <base URL>/${written.urlPath}\n` +
      `(${staticLinkPath(release).join('/')}: ${profile.product} ${parsed.version}, sha256 ${hashed.digests.sha256!}, keyid ${key.keyId})\n`,
  );
  return EXIT_OK;
}
