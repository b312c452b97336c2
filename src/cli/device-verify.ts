/**
 * `iso-verify verify /dev/sdX [--as <image name>] [--compare <image file>]`: check a USB stick
 * the image was written to, against the same signatures as the file (docs/cli.md "Checking a
 * USB stick").
 *
 * Which image the stick should hold comes from `--as` or from the release data (the current
 * release's images; those that fit on the stick) — never from anything written on the stick.
 * Exactly each image's length is read (one pass for all candidates, hashes taken at each
 * length) and `decide` judges it like a file of that name. The stick's bytes are used only to
 * explain a difference already proven (Tails has started from it: first-start.ts).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { IsoVerifyError } from '../core/errors.js';
import { parseImageDescription } from '../core/release/idf.js';
import { urlBasename } from '../core/release/fields.js';
import { exitStatusFor, type Verdict } from '../core/verdict.js';
import {
  fetchReleaseMaterial,
  releaseFileFacts,
  verifyImage,
  type HashedFile,
  type ReleaseMaterial,
} from '../core/verify/index.js';
import type { TrustState } from '../core/freshness.js';
import type { CliContext } from './context.js';
import { mountsOf, openDevice, type OpenedDevice } from './device.js';
import { readDevice, type DeviceRead } from './device-read.js';
import { createFileTrustState, stateNotSavedNote } from './file-trust-state.js';
import { partitionTableGrown } from './first-start.js';
import { describeRelease, failureReason, formatVerdict } from './format.js';
import { createNodeFetcher, offlineFetcher } from './node-fetcher.js';
import { loadProfileOption } from './profile-option.js';
import type { ReleaseInputs } from './release-options.js';
import { reportFailure } from './report.js';
import { useColor } from './repro-report.js';
import { userAgent } from './user-agent.js';

export interface DeviceVerifyOptions extends ReleaseInputs {
  device: string;
  /** The image the stick should hold (its published file name). */
  as?: string | undefined;
  /** A copy of the image, to locate the first difference. */
  compare?: string | undefined;
  offline: boolean;
  json: boolean;
  /** The command line as typed (for the sudo hint). */
  argv: readonly string[];
  /** Tests: hash in one thread. */
  singleThread?: boolean | undefined;
}

interface Candidate {
  name: string;
  material: ReleaseMaterial;
  size: number;
}

/** What the device check adds to the verdict (JSON `device`). */
export interface DeviceFacts {
  path: string;
  kind: OpenedDevice['kind'];
  size?: number;
  uncached: boolean;
  cacheNote?: string;
  mounted?: string[];
  bytesRead: number;
  /** Images compared (when --as was not given, all that fit). */
  candidates: string[];
  /** Bytes compared with --compare, and where the first difference is. */
  compared?: { path: string; firstDifference?: number; endedAt?: number };
  /** The stick's partition table was rewritten for a larger stick: Tails has started from it. */
  startedByTails?: boolean;
  hashedInParallel: boolean;
  seconds: number;
}

const MB = 1_000_000;

/** "1.2 GB" / "512 MB" / "4 KB", with the exact byte count beside it where it matters. */
export function humanBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** The current release's image names in the (not yet trusted) description: only candidates to check by signature. */
function namesIn(material: ReleaseMaterial): string[] {
  const bytes = material.description.bytes;
  if (!bytes) return [];
  try {
    const description = parseImageDescription(bytes);
    const names: string[] = [];
    for (const installation of description.installations.slice(0, 1)) {
      for (const p of installation.paths)
        for (const f of p.files) {
          const name = urlBasename(f.url);
          if (name && !names.includes(name)) names.push(name);
        }
    }
    return names;
  } catch {
    return [];
  }
}

export async function verifyDevice(context: CliContext, options: DeviceVerifyOptions): Promise<number> {
  const profile = await loadProfileOption(options.profile, context.cwd);
  // Permissions and the kind of device fail before anything is fetched.
  const device = await openDevice(options.device, options.argv);
  try {
    return await checkDevice(context, options, profile, device);
  } finally {
    await device.handle.close();
  }
}

async function checkDevice(
  context: CliContext,
  options: DeviceVerifyOptions,
  profile: Awaited<ReturnType<typeof loadProfileOption>>,
  device: OpenedDevice,
): Promise<number> {
  const mounted = await mountsOf(device.path);
  if (mounted.length > 0) {
    reportFailure(
      context,
      'warning',
      `${device.path} is mounted (${mounted.join(', ')}): a mounted stick can change while it is read, and the check may fail; unmount it first (umount ${mounted.map((m) => `'${m}'`).join(' ')})`,
    );
  }
  const online = createNodeFetcher({
    fetch: context.fetch,
    cwd: context.cwd,
    userAgent: userAgent(),
    now: context.now,
  });
  const fetcher = options.offline ? offlineFetcher(online) : online;
  const trustState = createFileTrustState(options.statePath);
  const fetch = (name: string) =>
    fetchReleaseMaterial(profile, name, fetcher, { signal: context.signal, overrides: options.overrides });
  // The one pipeline decides each candidate; only the chosen one's trust updates are kept.
  const judge = async (
    material: ReleaseMaterial,
    fileName: string,
    hash: HashedFile,
  ): Promise<{ verdict: Verdict; keep: () => Promise<void> }> => {
    const held = heldBack(trustState);
    const { verdict } = await verifyImage({
      profile,
      fileName,
      material: { material },
      hash,
      store: { rollback: held.store },
      now: context.now(),
      signal: context.signal,
    });
    return { verdict, keep: held.commit };
  };

  // 1. Which images to compare with: the one named, or the current release's images.
  let names: string[];
  let first: ReleaseMaterial | undefined;
  if (options.as !== undefined) {
    names = [options.as];
  } else {
    first = await fetch('');
    names = namesIn(first);
  }
  const candidates: Candidate[] = [];
  let refused: Verdict | undefined;
  // Zero bytes read: for a decision that fails before any byte matters (no release data, unknown name).
  const empty = {
    bytes: 0,
    digests: { sha256: createHash('sha256').digest('hex'), sha512: createHash('sha512').digest('hex') },
    continuations: {},
  };
  for (const name of names) {
    const material = await fetch(name);
    const facts = await releaseFileFacts({ profile, material, fileName: name, trustState, now: context.now() });
    if (facts.ok) candidates.push({ name, material, size: facts.expected.size });
    else refused ??= (await judge(material, name, empty)).verdict;
  }
  if (candidates.length === 0) {
    // No image to compare with (offline, unknown name, bad release data…): the decision says why, without reading the stick.
    // Without a name the decision gets the device's (the release data could not be read or names no image).
    const fileName = options.as ?? (path.basename(device.path) || device.path);
    const verdict = refused ?? (await judge(first ?? (await fetch(fileName)), fileName, empty)).verdict;
    return report(context, options, verdict, deviceFacts(device, mounted, [], undefined, undefined));
  }
  // When the stick's size is known and no name was given, only images that fit are candidates;
  // if none fits, all are (and the answer will be "incomplete").
  const fitting =
    device.size === undefined || options.as !== undefined
      ? candidates
      : candidates.filter((c) => c.size <= device.size!);
  const chosen = fitting.length > 0 ? fitting : candidates;

  // 2. One pass over the stick, hashes at each candidate length.
  const read = await readDevice(device, {
    lengths: chosen.map((c) => c.size),
    compare: options.compare,
    progressTo: context.stderr,
    label: `reading ${device.path}`,
    signal: context.signal,
    singleThread: options.singleThread,
  });
  try {
    // 3. The same decision as for a file, per candidate; the verified one wins.
    const decisions: Array<{ candidate: Candidate; verdict: Verdict; keep: () => Promise<void> }> = [];
    for (const candidate of chosen) {
      decisions.push({ candidate, ...(await judge(candidate.material, candidate.name, read.at(candidate.size))) });
    }
    const pick =
      decisions.find((d) => d.verdict.kind === 'verified') ??
      decisions.find((d) => d.verdict.kind !== 'unverifiable' && d.verdict.evidence.expected?.type === 'img') ??
      decisions.find((d) => d.verdict.kind !== 'unverifiable') ??
      decisions[0]!;
    await pick.keep();
    const { verdict } = pick;
    const facts = deviceFacts(
      device,
      mounted,
      chosen.map((c) => c.name),
      read,
      pick.candidate.size,
    );
    const status = report(context, options, verdict, facts);
    const stateNote = stateNotSavedNote(trustState);
    if (stateNote !== undefined) reportFailure(context, 'warning', stateNote);
    return status;
  } finally {
    await read.close();
  }
}

function deviceFacts(
  device: OpenedDevice,
  mounted: string[],
  candidates: string[],
  read: DeviceRead | undefined,
  imageSize: number | undefined,
): DeviceFacts {
  const facts: DeviceFacts = {
    path: device.path,
    kind: device.kind,
    ...(device.size !== undefined ? { size: device.size } : {}),
    uncached: device.uncached,
    ...(device.cacheNote ? { cacheNote: device.cacheNote } : {}),
    ...(mounted.length > 0 ? { mounted } : {}),
    bytesRead: read?.bytesRead ?? 0,
    candidates,
    hashedInParallel: read?.parallel ?? false,
    seconds: read?.seconds ?? 0,
  };
  if (read?.compared) facts.compared = read.compared;
  if (read && imageSize !== undefined && partitionTableGrown(read.head, imageSize, device.size))
    facts.startedByTails = true;
  return facts;
}

/** The one-line answer about the stick. */
export function deviceAnswer(verdict: Verdict, facts: DeviceFacts): string {
  const stick = `the USB stick ${facts.path}`;
  switch (verdict.kind) {
    case 'verified': {
      const release = describeRelease(verdict.expected);
      const signed =
        verdict.evidence.facts?.release === 'unsigned'
          ? `exactly the image signed by ${verdict.expected.product}'s pinned key (the unsigned description calls it ${release})`
          : `exactly ${release} as signed by ${verdict.expected.product}'s pinned key`;
      return `VERIFIED: ${stick} holds ${signed}.`;
    }
    case 'mismatch': {
      const release = describeRelease(verdict.expected);
      if (facts.startedByTails) {
        return `DOES NOT MATCH: ${stick} is no longer the image as written: ${verdict.expected.product} has already been started from it (its first start rewrites the partition table and grows the system partition), so it cannot be compared with ${release}. To check a stick, write the image again and check it before starting from it.`;
      }
      const where =
        facts.compared?.firstDifference !== undefined
          ? `the first difference from ${facts.compared.path} is at byte ${facts.compared.firstDifference} (${humanBytes(facts.compared.firstDifference)})`
          : facts.compared?.endedAt !== undefined
            ? `${facts.compared.path} ended at byte ${facts.compared.endedAt}, before any difference: it is not a whole copy of the image`
            : facts.compared
              ? `its bytes equal ${facts.compared.path}, so that file is not the signed image either`
              : 'where it differs cannot be located without a copy of the image (add --compare <image file>)';
      const length =
        verdict.evidence.facts?.reference === 'unsigned' ? ` (that length is from the unsigned description)` : '';
      return `DOES NOT MATCH: ${stick} does not hold ${release}: its first ${verdict.expected.size} bytes${length} differ from the signed image; ${where}. Do not start a computer from it; write the image again, or use another stick.`;
    }
    case 'incomplete':
      return `INCOMPLETE: ${stick} ends after ${verdict.evidence.file.size} bytes (${humanBytes(verdict.evidence.file.size)}), before the end of ${describeRelease(verdict.expected)} (${verdict.expected.size} bytes): the stick is too small, or it is not what it claims to be. Use another stick.`;
    default:
      return `USB stick ${facts.path}: ${formatVerdict(verdict).split('\n')[0]}`;
  }
}

function deviceLines(facts: DeviceFacts): string[] {
  const field = (label: string, value: string) => `  ${label.padEnd(12)}${value}`;
  const lines = [
    field(
      'device',
      `${facts.path} (${facts.kind === 'file' ? 'regular file' : facts.kind === 'raw-disk' ? 'raw disk' : 'block device'}${facts.size !== undefined ? `, ${facts.size} bytes` : ''}), opened read-only`,
    ),
    field(
      'read',
      `${facts.bytesRead} bytes${facts.uncached ? ', from the medium (page cache bypassed)' : `; ${facts.cacheNote ?? 'may come from the page cache'}`}${facts.seconds > 0 ? `, ${(facts.bytesRead / MB / facts.seconds).toFixed(0)} MB/s` : ''}`,
    ),
  ];
  if (facts.candidates.length > 1) lines.push(field('compared', `with each of ${facts.candidates.join(', ')}`));
  if (facts.mounted) lines.push(field('mounted', facts.mounted.join(', ')));
  if (facts.compared) {
    const c = facts.compared;
    lines.push(
      field(
        'reference',
        c.firstDifference !== undefined
          ? `${c.path}: first difference at byte ${c.firstDifference}`
          : c.endedAt !== undefined
            ? `${c.path}: ends at byte ${c.endedAt}`
            : `${c.path}: the same bytes`,
      ),
    );
  }
  if (facts.startedByTails)
    lines.push(
      field(
        'note',
        'the partition table reaches beyond the image (the backup GPT header is past its end): the stick was changed after writing',
      ),
    );
  return lines;
}

function report(context: CliContext, options: DeviceVerifyOptions, verdict: Verdict, facts: DeviceFacts): number {
  const status = exitStatusFor(verdict);
  if (options.json) {
    const report = {
      verdict: verdict.kind,
      exitStatus: status,
      ...verdict,
      device: facts,
      statePath: options.statePath,
    };
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const evidence = formatVerdict(verdict, {
      statePath: options.statePath,
      color: useColor(context.stdout, context.env),
    })
      .split('\n')
      .slice(1);
    context.stdout.write(
      `${[deviceAnswer(verdict, facts), '', ...deviceLines(facts), ...evidence.slice(1)].join('\n')}`,
    );
  }
  const why = deviceFailureReason(verdict, facts);
  if (why !== undefined) reportFailure(context, verdict.kind, why);
  return status;
}

function deviceFailureReason(verdict: Verdict, facts: DeviceFacts): string | undefined {
  switch (verdict.kind) {
    case 'mismatch':
      return facts.startedByTails
        ? `${facts.path} was changed by ${verdict.expected.product}'s first start; it cannot be compared with ${describeRelease(verdict.expected)}`
        : `the first ${verdict.expected.size} bytes of ${facts.path} are not ${describeRelease(verdict.expected)}${facts.compared?.firstDifference !== undefined ? `; first difference at byte ${facts.compared.firstDifference}` : ''}`;
    case 'incomplete':
      return `${facts.path} has ${verdict.evidence.file.size} of the ${verdict.expected.size} bytes of ${describeRelease(verdict.expected)}`;
    default:
      return failureReason(verdict);
  }
}

/** Thrown for `--compare`/`--as` used with an image file rather than a device. */
export function deviceOnlyOption(option: string): IsoVerifyError {
  return new IsoVerifyError('usage', `verify: ${option} is for checking a USB stick (a device such as /dev/sdb)`);
}

/** A view of `state` that holds its writes back until commit(): candidates not chosen leave no trace. */
function heldBack(state: TrustState): { store: TrustState; commit: () => Promise<void> } {
  const writes: Array<() => Promise<void>> = [];
  return {
    store: {
      get: (key) => state.get(key),
      ...(state.getSigningKey ? { getSigningKey: (id: string) => state.getSigningKey!(id) } : {}),
      put: async (key, record) => void writes.push(() => state.put(key, record)),
      putSigningKey: async (id, key) => void writes.push(async () => state.putSigningKey?.(id, key)),
    },
    commit: async () => {
      for (const write of writes) await write();
    },
  };
}
