/**
 * The release-input options that `verify` and `repro` share (which profile, replacements for
 * the profile's inputs, extra keys, pins, the rollback state file), parsed in one place.
 */
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

export interface ReleaseInputs {
  profile: string | undefined;
  overrides: MaterialOverrides;
  statePath: string;
}

export function readReleaseInputs(command: string, values: Record<string, unknown>, context: Pick<CliContext, 'cwd' | 'env'>): ReleaseInputs {
  const overrides: MaterialOverrides = {};
  const description = stringOption(values, 'descriptor');
  const descriptionSignature = stringOption(values, 'signature');
  const imageSignature = stringOption(values, 'image-signature');
  const keys = listOption(values, 'key');
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
  };
}
