/**
 * `iso-verify verify <image>`: the whole verification of a downloaded image. The image is
 * hashed once (SHA-256 + SHA-512, native crypto) while the release data is fetched, then the
 * core decides the verdict with the same rules as the extension.
 */
import { exitStatusFor } from '../../core/verdict.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { stateNotSavedNote } from '../file-trust-state.js';
import { failureReason, formatVerdict } from '../format.js';
import { useColor } from '../repro-report.js';
import { resolvePath } from '../local-files.js';
import { prepareLocalImage, verifyLocalImage } from '../local-image.js';
import { EXIT_OK, reportError, reportFailure, reportJsonError } from '../report.js';
import { looksLikeDevice } from '../device.js';
import { deviceOnlyOption, verifyDevice } from '../device-verify.js';
import { checkLocalInputs, readReleaseInputs, RELEASE_INPUT_OPTIONS, type ReleaseInputs } from '../release-options.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify verify <image|device> [--as <image name>] [--compare <image file>] [--profile tails|demo|<file.json>] [--descriptor <url|path>]
         [--signature <url|path>] [--image-signature <url|path>] [--key <url|path>]...
         [--upgrade-description <url|path> [--upgrade-signature <url|path>]]
         [--fingerprint <FPR>]... [--state <file>] [--offline] [--json]

Verify a downloaded image against the signed release data of a profile (default: tails).
The image is hashed once (SHA-256 and SHA-512) while the release data is fetched from the
profile's official site; every release input can be replaced by a local path or another URL,
so verification also works offline. Prints the answer first, then the evidence.

A USB stick the image was written to is checked the same way: give the device
(/dev/sdb; macOS /dev/rdiskN; Windows \\\\.\\PhysicalDriveN). Exactly the image's length is read,
read-only and bypassing the cache; which image it should hold comes from --as or from the
current release's images (never from the stick). Usually needs sudo.

Options:
  --as <image name>          the image the device should hold (e.g. tails-amd64-7.6.1.img);
                             default: the current release's images that fit on it
  --compare <image file>     a copy of the image: locates the first byte where the device differs
                             (the release's hashes cover the whole image and cannot locate it)
  --profile <id|file>        built-in profile (tails, demo) or a profile JSON file
  --descriptor <url|path>    image description (latest.json) instead of the profile's URL
  --signature <url|path>     detached signature of the description
  --image-signature <url|path>  detached signature of the image itself (e.g. <image>.sig)
  --upgrade-description <url|path>  an earlier release's signed upgrade description
                             (upgrades.yml) naming this ISO, instead of the profile's
  --upgrade-signature <url|path>    its detached signature (default: <upgrade-description>.pgp)
  --key <url|path>           extra OpenPGP key material (repeatable); it counts only if its
                             primary fingerprint is pinned
  --fingerprint <FPR>        pin this primary-key fingerprint (repeatable). With --fingerprint,
                             ONLY the given fingerprints are pinned: the profile's pins are
                             replaced, not extended. Use it with --key for a key the profile
                             does not ship.
  --state <file>             rollback-protection state (default: $XDG_STATE_HOME/iso-verify/state.json,
                             else ~/.local/state/iso-verify/state.json)
  --offline                  never use the network: URLs fail, the profile's key refresh and
                             rebuilder checks are skipped
  --json                     print one JSON object: {"verdict": <kind>, "exitStatus", ...Verdict}
  -h, --help                 show this help

Only signed facts decide. The profile's description signature, when it has one, signs the
release number, size and SHA-256. Otherwise (Tails) the image's own signature signs the bytes,
and an earlier release's signed upgrade description signs the ISO's release number, size and
SHA-256; whatever no signature covers is shown as "NOT signed" and never makes a file
"verified" or "proven not authentic".

Exit status: 0 verified; 1 proven not authentic (mismatch, incomplete, oversized, wrong
release, bad signature, rollback); 2 could not verify (I/O, network, malformed release data,
unknown or unpinned key, only an unsigned checksum matched).
`;

interface VerifyOptions extends ReleaseInputs {
  image: string;
  /** USB stick check (device-verify.ts): the image name it should hold, a reference copy. */
  as?: string | undefined;
  compare?: string | undefined;
  argv: readonly string[];
  offline: boolean;
  json: boolean;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a downloaded image against the signed release data',
  help: HELP,
  async run(args, context) {
    const json = args.includes('--json');
    try {
      return await runVerify(args, context);
    } catch (error) {
      // --json promises one JSON object on stdout, whatever went wrong.
      return json ? reportJsonError(context, error) : reportError(context, error, 'unverifiable');
    }
  },
};

async function runVerify(args: readonly string[], context: CliContext): Promise<number> {
  {
    const { values, positionals, help } = parseCommandArgs(
      'verify',
      args,
      {
        ...RELEASE_INPUT_OPTIONS,
        offline: { type: 'boolean' },
        json: { type: 'boolean' },
        as: { type: 'string' },
        compare: { type: 'string' },
      },
      { names: ['image'], min: 1, max: 1 },
    );
    if (help) {
      context.stdout.write(HELP);
      return EXIT_OK;
    }
    const options: VerifyOptions = {
      image: positionals[0]!,
      ...readReleaseInputs('verify', values, context),
      offline: values.offline === true,
      json: values.json === true,
      as: typeof values.as === 'string' ? values.as : undefined,
      compare: typeof values.compare === 'string' ? values.compare : undefined,
      argv: ['verify', ...args],
    };
    return await verify(context, options);
  }
}

async function verify(context: CliContext, options: VerifyOptions): Promise<number> {
  // A USB stick (or a copy of one named with --as): read back and checked in device-verify.ts.
  if (looksLikeDevice(options.image) || options.as !== undefined) {
    // A mistyped --descriptor is the same usage error for a stick as for a file, before any read.
    await checkLocalInputs('verify', options, context.cwd);
    const device = looksLikeDevice(options.image) ? options.image : resolvePath(context.cwd, options.image);
    const compare = options.compare === undefined ? undefined : resolvePath(context.cwd, options.compare);
    return await verifyDevice(context, { ...options, device, compare });
  }
  if (options.compare !== undefined) throw deviceOnlyOption('--compare');
  const image = await prepareLocalImage('verify', context, options.image, options);
  const {
    verdict,
    repro: reproduced,
    trustState,
  } = await verifyLocalImage(context, image, options, { askRebuilders: true });
  const repro = await reproduced;

  const status = exitStatusFor(verdict);
  if (options.json) {
    const stateSaveError = trustState.saveError && {
      code: trustState.saveError.code,
      detail: trustState.saveError.detail,
    };
    const report = {
      verdict: verdict.kind,
      exitStatus: status,
      ...verdict,
      ...(repro ? { repro } : {}),
      statePath: options.statePath,
      ...(stateSaveError ? { stateSaveError } : {}),
    };
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    context.stdout.write(
      formatVerdict(verdict, { repro, statePath: options.statePath, color: useColor(context.stdout, context.env) }),
    );
  }
  const why = failureReason(verdict);
  if (why !== undefined) reportFailure(context, verdict.kind, why);
  const stateNote = stateNotSavedNote(trustState);
  if (stateNote !== undefined) reportFailure(context, 'warning', stateNote);
  return status;
}
