/**
 * `iso-verify key`: the pinned signing key as this computer knows it — the copy shipped with
 * ISO Verify and the copy kept from the last refresh (signing-keys.json next to the state
 * file) — until when it can sign, and when it was last refreshed. `verify` refreshes the key
 * from the profile's keyUrl whenever it is online and keeps the merged key (DESIGN.md "Time
 * and keys"); this command only reads.
 */
import { latestSigningEnd } from '../../core/openpgp/expiry.js';
import { loadPinnedKeyring, mergeKeyRefresh, type PinnedKeyring } from '../../core/openpgp/index.js';
import { signingKeyId } from '../../core/verify/index.js';
import { parseCommandArgs, stringOption } from '../args.js';
import type { CliContext } from '../context.js';
import { createFileTrustState, defaultStatePath, signingKeysPath } from '../file-trust-state.js';
import { resolvePath } from '../local-files.js';
import { describeThrown } from '../messages.js';
import { loadProfileOption } from '../profile-option.js';
import { EXIT_OK, EXIT_UNVERIFIABLE, reportError } from '../report.js';
import type { Command } from './types.js';

const HELP = `Usage: iso-verify key [--profile <tails|demo|file.json>] [--state <file>] [--json]

Show the profile's pinned signing key as this computer knows it: the copy shipped with
ISO Verify, the copy kept from the last refresh (verify refreshes it from the official site
whenever it is online, and keeps it in signing-keys.json next to the state file), until when
each can sign, and when it was last refreshed. A refresh can only add what the pinned primary
key certifies (expiry extensions, new signing subkeys, revocations); a new primary key needs
a new version of ISO Verify.

Options:
  --profile <id|file.json>  the profile (default: tails)
  --state <file>            the state file (default: $XDG_STATE_HOME/iso-verify/state.json)
  --json                    print one JSON object instead of text
  -h, --help                show this help

Exit status: 0 the key in use can still sign (by this computer's clock); 2 it cannot.
`;

export const keyCommand: Command = {
  name: 'key',
  summary: 'show the pinned signing key: until when it can sign, when it was last refreshed',
  help: HELP,
  async run(args, context) {
    const { values, help } = parseCommandArgs(
      'key',
      args,
      { profile: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean' } },
      { names: [], min: 0, max: 0 },
    );
    if (help) {
      context.stdout.write(HELP);
      return EXIT_OK;
    }
    try {
      return await showKey(
        context,
        stringOption(values, 'profile'),
        stringOption(values, 'state'),
        values.json === true,
      );
    } catch (error) {
      return reportError(context, error, 'error');
    }
  },
};

async function showKey(
  context: CliContext,
  profileOption: string | undefined,
  stateOption: string | undefined,
  json: boolean,
): Promise<number> {
  const profile = await loadProfileOption(profileOption, context.cwd);
  const statePath = stateOption === undefined ? defaultStatePath(context.env) : resolvePath(context.cwd, stateOption);
  const now = context.now();
  const shipped =
    profile.signingKey.trim() === ''
      ? undefined
      : await loadPinnedKeyring([profile.signingKey], profile.pinnedFingerprints);
  const kept = await createFileTrustState(statePath).getSigningKey(signingKeyId(profile));
  let inUse: PinnedKeyring | undefined = shipped;
  let keptError: string | undefined;
  if (shipped && kept) {
    try {
      for (const armored of kept.keys) inUse = await mergeKeyRefresh(inUse!, armored, 'kept refreshed key');
    } catch (error) {
      keptError = describeThrown(error);
    }
  }
  const end = async (k: PinnedKeyring | undefined) => (k ? await latestSigningEnd(k) : undefined);
  const shippedEnd = await end(shipped);
  const inUseEnd = await end(inUse);
  const canSign = inUseEnd === null || (inUseEnd !== undefined && inUseEnd > now);
  const day = (d: Date | null | undefined) =>
    d === null ? 'no end' : d === undefined ? 'unknown' : d.toISOString().slice(0, 10);
  if (json) {
    context.stdout.write(
      `${JSON.stringify(
        {
          profile: profile.id,
          pinnedFingerprints: profile.pinnedFingerprints,
          shipped: shipped ? { signingUntil: shippedEnd?.toISOString() ?? null } : null,
          kept: kept
            ? {
                file: signingKeysPath(statePath),
                refreshedAt: kept.refreshedAt,
                signingUntil: kept.signingUntil,
                ...(keptError ? { error: keptError } : {}),
              }
            : null,
          inUse: {
            signingUntil: inUseEnd === undefined ? null : (inUseEnd?.toISOString() ?? null),
            canSignNow: canSign,
          },
          keyUrl: profile.keyUrl ?? null,
          now: now.toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    return canSign ? EXIT_OK : EXIT_UNVERIFIABLE;
  }
  const lines = [
    `signing key of profile ${profile.id}: pinned primary key ${profile.pinnedFingerprints.join(', ')}`,
    `  shipped with ISO Verify: ${shipped ? `can sign until ${day(shippedEnd)}` : 'none (the key comes from the official site only)'}`,
    kept
      ? `  kept from a refresh: last refreshed ${kept.refreshedAt.slice(0, 10)}, can sign until ${kept.signingUntil ? kept.signingUntil.slice(0, 10) : 'no end'} (${signingKeysPath(statePath)})${keptError ? `; cannot be used: ${keptError}` : ''}`
      : `  kept from a refresh: none yet${profile.keyUrl ? ` (verify refreshes it from ${profile.keyUrl} when online)` : ''}`,
    `  in use: can sign until ${day(inUseEnd)}${canSign ? '' : ` — this computer's clock says ${now.toISOString().slice(0, 10)}: if the clock is right, connect and verify again so the key can be refreshed, or update ISO Verify`}`,
  ];
  context.stdout.write(`${lines.join('\n')}\n`);
  return canSign ? EXIT_OK : EXIT_UNVERIFIABLE;
}
