/** Reproducibility status of one release file, from independent rebuilders (issue: repro). */
import type { ErrorInfo } from '../errors.js';

export type RebuilderState =
  | 'reproduced' // signed attestation whose sha256 matches the release and the user's file
  | 'mismatch' // signed attestation naming different bytes than the SIGNED release hash
  | 'unconfirmed' // signed attestation naming other bytes than an UNSIGNED release hash: proves nothing either way
  | 'failed' // the rebuild failed
  | 'pending' // scheduled, not rebuilt yet
  | 'unknown' // the rebuilder does not know this file
  | 'unreachable'
  | 'bad-attestation'; // unsigned, wrong key, bad signature, malformed

/** Who configured a rebuilder: the profile, or the person in the options page (never mixed). */
export type RebuilderSource = 'profile' | 'person';

export interface RebuilderResult {
  name: string;
  baseUrl: string;
  /**
   * A rebuilderd instance, or a static reproducer (signed links on a static host). Always set
   * by checkReproducibility; optional because statuses stored by older versions lack it
   * (absent: 'rebuilderd', and source 'profile').
   */
  kind?: 'rebuilderd' | 'static';
  source?: RebuilderSource;
  state: RebuilderState;
  /** keyid (hex SHA-256 of the canonical key JSON) of the pinned key. */
  keyId: string;
  /** sha256 the attestation names, when there is one. */
  attestedSha256?: string;
  /** When the rebuilder last built it (ISO-8601). */
  date?: string;
  buildLogUrl?: string;
  /** A static reproducer's link URL. */
  attestationUrl?: string;
  /**
   * Why the state is what it is, as a code the surfaces translate (`repro_reason_<code>` in
   * public/_locales; the CLI writes `detail`). With `error` when a failure caused it, and
   * `attestedRelease` for 'other-release'.
   */
  reason?: RebuilderReason;
  error?: ErrorInfo;
  /** The release an attestation names when it is not the one checked ('other-release'). */
  attestedRelease?: { product?: string; version?: string };
  /** The same in English, for the command line and logs. */
  detail?: string;
}

export const REBUILDER_REASONS = [
  'no-sha256', // the attestation names no sha256 for the file
  'differs-from-release', // the rebuilt file differs from the signed release
  'differs-from-file', // the rebuilt file differs from the person's file
  'differs-from-unsigned', // the rebuilt file differs from an UNSIGNED release hash: proves nothing (#20)
  'no-record', // the rebuilder has no record of this file
  'not-rebuilt-yet',
  'rebuild-failed',
  'no-attestation', // a rebuilderd published none
  'no-link', // a static reproducer published none for this file
  'version-unknown', // the release version is not known, so its attestation cannot be looked up
  'other-release', // the attestation is for another product or version
  'error', // see `error`
] as const;
export type RebuilderReason = (typeof REBUILDER_REASONS)[number];

export interface ReproStatus {
  fileName: string;
  threshold: number;
  /** Whether the person set the threshold in the options page, or it is the profile's. (The three new fields: see RebuilderResult.kind.) */
  thresholdSource?: RebuilderSource;
  /** Distinct pinned keys whose signed attestation matched. */
  reproducedBy: number;
  /** Distinct valid keys configured (profile and person together): the most that can reproduce. */
  distinctKeys?: number;
  /** False when the threshold is above distinctKeys: "not enough reproducers", not a failure. */
  enoughReproducers?: boolean;
  anyMismatch: boolean;
  met: boolean;
  rebuilders: RebuilderResult[];
  checkedAt: string;
}
