/** Reproducibility status of one release file, from independent rebuilders (issue: repro). */
export type RebuilderState =
  | 'reproduced' // signed attestation whose sha256 matches the release and the user's file
  | 'mismatch' // signed attestation naming different bytes
  | 'failed' // the rebuild failed
  | 'pending' // scheduled, not rebuilt yet
  | 'unknown' // the rebuilder does not know this file
  | 'unreachable'
  | 'bad-attestation'; // unsigned, wrong key, bad signature, malformed

export interface RebuilderResult {
  name: string;
  baseUrl: string;
  state: RebuilderState;
  /** keyid (hex SHA-256 of the canonical key JSON) of the pinned key. */
  keyId: string;
  /** sha256 the attestation names, when there is one. */
  attestedSha256?: string;
  /** When the rebuilder last built it (ISO-8601). */
  date?: string;
  buildLogUrl?: string;
  detail?: string;
}

export interface ReproStatus {
  fileName: string;
  threshold: number;
  /** Distinct pinned keys whose signed attestation matched. */
  reproducedBy: number;
  anyMismatch: boolean;
  met: boolean;
  rebuilders: RebuilderResult[];
  checkedAt: string;
}
