/**
 * The release-input options that `verify`, `repro`, `mirror` and `attest` share (which profile,
 * replacements for the profile's inputs, extra keys, pins, the rollback state file), parsed in
 * one place.
 */
import { stat } from 'node:fs/promises';
import type { Profile } from '../core/profile.js';
import type { MaterialOverrides } from '../core/verify/index.js';
import { listOption, stringOption, usageError } from './args.js';
import type { CliContext } from './context.js';
import { defaultStatePath } from './file-trust-state.js';
import { fingerprintOptions } from './key-options.js';
import { resolvePath } from './local-files.js';
import { isUrl } from './node-fetcher.js';

export const RELEASE_INPUT_OPTIONS = {
  profile: { type: 'string' },
  descriptor: { type: 'string' },
  signature: { type: 'string' },
  'image-signature': { type: 'string' },
  'upgrade-description': { type: 'string' },
  'upgrade-signature': { type: 'string' },
  key: { type: 'string', multiple: true },
  fingerprint: { type: 'string', multiple: true },
  state: { type: 'string' },
} as const;

/**
 * The option that names extra OpenPGP key material: `--key`, except in `attest`, where `--key`
 * is the rebuilder's own signing key and the release's key material is `--release-key`.
 */
export type KeyOption = 'key' | 'release-key';

const { key: releaseKey, ...withoutKey } = RELEASE_INPUT_OPTIONS;
/** RELEASE_INPUT_OPTIONS with `--release-key` for `--key` (attest). */
export const ATTEST_RELEASE_INPUT_OPTIONS = { ...withoutKey, 'release-key': releaseKey } as const;

export interface ReleaseInputs {
  profile: string | undefined;
  overrides: MaterialOverrides;
  statePath: string;
  /** The option the extra OpenPGP keys came from, for messages naming it (default `key`). */
  keyOption?: KeyOption;
}

export function readReleaseInputs(
  command: string,
  values: Record<string, unknown>,
  context: Pick<CliContext, 'cwd' | 'env'>,
  keyOption: KeyOption = 'key',
): ReleaseInputs {
  const overrides: MaterialOverrides = {};
  const description = stringOption(values, 'descriptor');
  const descriptionSignature = stringOption(values, 'signature');
  const imageSignature = stringOption(values, 'image-signature');
  const keys = listOption(values, keyOption);
  const fingerprints = fingerprintOptions(command, listOption(values, 'fingerprint'));
  if (description !== undefined) overrides.description = description;
  if (descriptionSignature !== undefined) overrides.descriptionSignature = descriptionSignature;
  if (imageSignature !== undefined) overrides.imageSignature = imageSignature;
  const upgradeDescription = stringOption(values, 'upgrade-description');
  const upgradeSignature = stringOption(values, 'upgrade-signature');
  if (upgradeSignature !== undefined && upgradeDescription === undefined) {
    throw usageError(`${command}: --upgrade-signature needs --upgrade-description`);
  }
  if (upgradeDescription !== undefined) overrides.upgradeDescription = upgradeDescription;
  if (upgradeSignature !== undefined) overrides.upgradeDescriptionSignature = upgradeSignature;
  // Key sources are always paths or URLs here: resolve paths now so the core never sees a
  // relative path (and never mistakes a path for inline armor).
  if (keys.length > 0) overrides.keys = keys.map((k) => (isUrl(k) ? k : resolvePath(context.cwd, k)));
  if (fingerprints.length > 0) overrides.fingerprints = fingerprints;
  const state = stringOption(values, 'state');
  return {
    profile: stringOption(values, 'profile'),
    overrides,
    statePath: state === undefined ? defaultStatePath(context.env) : resolvePath(context.cwd, state),
    ...(keyOption === 'key' ? {} : { keyOption }),
  };
}

/**
 * A local file named on the command line must exist before gigabytes are hashed: a typo is a
 * usage error ("no such file") naming the option, never a verdict about the image.
 */
export async function requireLocalFile(command: string, option: string, file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw usageError(`${command}: ${option}: no such file: ${file}`);
    return; // unreadable for another reason: reading it says why, with the same option named
  }
  if (!info.isFile()) throw usageError(`${command}: ${option}: not a regular file: ${file}`);
}

/** Every local path among the release inputs (and a profile file), checked before any work. */
export async function checkLocalInputs(command: string, inputs: ReleaseInputs, cwd: string): Promise<void> {
  const o = inputs.overrides;
  const named: [string, string | undefined][] = [
    ['--descriptor', o.description],
    ['--signature', o.descriptionSignature],
    ['--image-signature', o.imageSignature],
    ['--upgrade-description', o.upgradeDescription],
    ['--upgrade-signature', o.upgradeDescriptionSignature],
    ...(o.keys ?? []).map((k): [string, string] => [`--${inputs.keyOption ?? 'key'}`, k]),
  ];
  for (const [option, value] of named) {
    if (value === undefined || (isUrl(value) && !value.startsWith('file:'))) continue;
    await requireLocalFile(
      command,
      option,
      value.startsWith('file:') ? new URL(value).pathname : resolvePath(cwd, value),
    );
  }
  const profile = inputs.profile;
  if (profile !== undefined && /[\\/]|\.json$/i.test(profile))
    await requireLocalFile(command, '--profile', resolvePath(cwd, profile));
}

/** With --offline: which option gives the input a profile URL names (for the error that says so). */
export function offlineOptionFor(
  profile: Pick<
    Profile,
    'descriptionUrl' | 'descriptionSignatureUrl' | 'imageSignatureUrl' | 'upgradeDescriptionUrl' | 'keyUrl'
  >,
  keyOption: KeyOption = 'key',
): (source: string) => string | undefined {
  const matches = (template: string | undefined, source: string) => {
    if (template === undefined) return false;
    const [head = '', ...rest] = template.split(/\{[a-z]+\}/);
    return source.startsWith(head) && (rest.length === 0 ? source === head : source.endsWith(rest[rest.length - 1]!));
  };
  return (source) => {
    if (source === profile.descriptionUrl) return '--descriptor';
    if (source === profile.descriptionSignatureUrl) return '--signature';
    if (matches(profile.imageSignatureUrl, source)) return '--image-signature';
    if (matches(profile.upgradeDescriptionUrl, source))
      return source.endsWith('.pgp') || source.endsWith('.sig') ? '--upgrade-signature' : '--upgrade-description';
    if (source === profile.keyUrl) return `--${keyOption}`;
    return undefined;
  };
}
