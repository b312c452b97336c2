/**
 * Human text for a reproducibility status, shared by `iso-verify repro` and `iso-verify verify`
 * so both say the same thing: one summary line (red when a rebuilder got different bytes), a
 * per-rebuilder table and notes. Pure functions, for testing.
 */
import type { RebuilderResult, ReproStatus } from '../core/repro/types.js';

const RED = '\u001b[31;1m';
const RESET = '\u001b[0m';

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

export function red(text: string, color: boolean): string {
  return color ? `${RED}${text}${RESET}` : text;
}

export function shortSha256(hex: string | undefined): string {
  return hex ? `${hex.slice(0, 16)}…` : '-';
}

function mismatchDetail(r: RebuilderResult): string {
  return `${printable(r.name)} built sha256 ${shortSha256(r.attestedSha256)}`;
}

/** With nobody to ask: one line, and where to read how to become a reproducer. */
export const NO_REPRODUCERS =
  'No independent reproducer is configured: see docs/reproduce.md to reproduce this release and publish an attestation';

export interface ReproSummary {
  text: string;
  /** A rebuilder signed different bytes: show prominently. */
  alarm: boolean;
}

/**
 * The one-line answer. A mismatch outranks everything: it is the signal a user must not miss.
 * `unsignedRelease` marks a comparison against a hash no pinned signature vouches for.
 */
export function reproSummary(repro: ReproStatus, options: { unsignedRelease?: boolean } = {}): ReproSummary {
  const total = repro.rebuilders.length;
  const counted = `${repro.reproducedBy} of ${total} rebuilder${total === 1 ? '' : 's'} (threshold ${repro.threshold})`;
  const against = options.unsignedRelease ? ' — against an UNSIGNED release hash' : '';
  if (repro.anyMismatch) {
    const who = repro.rebuilders
      .filter((r) => r.state === 'mismatch')
      .map(mismatchDetail)
      .join('; ');
    return { text: `A rebuilder got DIFFERENT bytes: ${who}, not the release's sha256${against}`, alarm: true };
  }
  const unconfirmed = repro.rebuilders.filter((r) => r.state === 'unconfirmed');
  if (unconfirmed.length > 0) {
    // Compared with an unsigned hash: no alarm, whoever is wrong (#20).
    return {
      text: `Not confirmed: ${unconfirmed.map(mismatchDetail).join('; ')}, not the UNSIGNED release sha256 — no signature says which is right`,
      alarm: false,
    };
  }
  if (total === 0) return { text: NO_REPRODUCERS, alarm: false };
  if (repro.enoughReproducers === false) {
    return {
      text: `Not enough reproducers: ${counted} — fewer distinct keys (${repro.distinctKeys ?? 0}) than required${against}`,
      alarm: false,
    };
  }
  if (repro.met) return { text: `Independently reproduced by ${counted}: met${against}`, alarm: false };
  if (repro.reproducedBy === 0) return { text: `Not reproduced yet: ${counted}${against}`, alarm: false };
  return { text: `Independently reproduced by ${counted}: not met${against}`, alarm: false };
}

/**
 * Details can quote what a rebuilder sent (e.g. a product name in a malformed attestation):
 * control characters would let it redraw the terminal, so they become '?'.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** rebuilderd dates are ISO-8601 with milliseconds; seconds are enough to read. */
function shortDate(iso: string | undefined): string {
  return iso ? iso.replace(/\.\d+Z$/, 'Z') : '-';
}

/** Columns: rebuilder, state, date, attested sha256 (short), build log URL (a static reproducer: its link). */
export function reproTable(repro: ReproStatus): string[] {
  const header = ['REBUILDER', 'STATE', 'DATE', 'ATTESTED SHA256', 'BUILD LOG / LINK'];
  const rows = repro.rebuilders.map((r) => [
    printable(r.name),
    r.state === 'mismatch' ? 'MISMATCH' : r.state,
    shortDate(r.date),
    shortSha256(r.attestedSha256),
    r.buildLogUrl ?? r.attestationUrl ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** Why each rebuilder is in its state (when not plainly reproduced), and keys that count once. */
export function reproNotes(repro: ReproStatus): string[] {
  const notes = repro.rebuilders.filter((r) => r.detail).map((r) => `${printable(r.name)}: ${printable(r.detail!)}`);
  const byKey = new Map<string, string[]>();
  for (const r of repro.rebuilders) if (r.keyId) byKey.set(r.keyId, [...(byKey.get(r.keyId) ?? []), r.name]);
  for (const [keyId, names] of byKey) {
    if (names.length > 1)
      notes.push(`${names.join(', ')} share one pinned key (${keyId.slice(0, 16)}…) and count once`);
  }
  return notes;
}
