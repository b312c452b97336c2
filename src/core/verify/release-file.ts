/**
 * What the signed release data says about one published file, without its bytes (`iso-verify
 * repro <name>`: a rebuilder's attestation is compared with this hash). The same checks as
 * `decide` — description signature, target, age, rollback, upgrade descriptions — and no
 * placeholder file: the answer is a release hash and the signature that vouches for it, or why
 * there is none.
 */
import type { ErrorInfo } from '../errors.js';
import type { TrustStateReader } from '../freshness.js';
import type { Profile } from '../profile.js';
import type { ExpectedFile, FactSource, SignatureDetails, UnverifiableReason, WrongReleaseReason } from '../verdict.js';
import { signedUpgradeFiles } from './decide.js';
import { checkDescription } from './description.js';
import { lookupFile } from './expected-file.js';
import { parseImageFileName } from './file-name.js';
import type { ReleaseMaterial } from './material.js';

export type ReleaseFileFacts =
  | {
      ok: true;
      expected: ExpectedFile;
      /** Which signature vouches for the hash ('unsigned': none does). */
      source: FactSource;
      /** The good signature behind `source`, when signed. */
      signature?: SignatureDetails;
    }
  | { ok: false; reason: UnverifiableReason | WrongReleaseReason; error?: ErrorInfo; expected?: ExpectedFile };

export async function releaseFileFacts(input: {
  profile: Profile;
  material: ReleaseMaterial;
  fileName: string;
  trustState: TrustStateReader;
  now?: Date | undefined;
}): Promise<ReleaseFileFacts> {
  const { profile, material, fileName, trustState } = input;
  const now = input.now ?? new Date();
  const checked = await checkDescription({ profile, material, trustState, now });
  if (!checked.ok) return { ok: false, reason: checked.reason, error: checked.error };
  const { keyring, description, signature } = checked.trusted;
  const parsed = parseImageFileName(profile, fileName);
  if (!parsed) return { ok: false, reason: 'unknown-file' };
  const upgrades = await signedUpgradeFiles(profile, material.upgradeDescriptions, keyring, now);
  const lookup = lookupFile(description, parsed.name, parsed);
  if (signature && lookup.found) return { ok: true, expected: lookup.expected, source: 'description', signature };
  const fromUpgrade = upgrades.find((c) => c.expected.name === parsed.name && c.expected.version === parsed.version);
  if (fromUpgrade)
    return {
      ok: true,
      expected: fromUpgrade.expected,
      source: 'upgrade-description',
      signature: fromUpgrade.signature!,
    };
  if (lookup.found) return { ok: true, expected: lookup.expected, source: 'unsigned' };
  return lookup.current
    ? { ok: false, reason: lookup.reason, expected: lookup.current }
    : { ok: false, reason: lookup.reason };
}
