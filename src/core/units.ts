/**
 * The one size scale every surface uses (extension pages, widget, CLI): decimal units
 * (1 MB = 10^6 bytes, as browsers' download panels and rates count), the largest unit with a
 * value of at least 1, two decimals below 100 and one from 100 ("1.56 GB", "134.2 MB").
 * The surfaces write the number and the unit in their language (src/ui-kit/format.ts with
 * Intl; the CLI in English).
 */
export const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

/** The unit a size reads best in: the largest with a value of at least 1. */
export function unitFor(bytes: number): SizeUnit {
  let index = 0;
  let value = Math.abs(bytes);
  while (value >= 1000 && index < SIZE_UNITS.length - 1) {
    value /= 1000;
    index += 1;
  }
  return SIZE_UNITS[index]!;
}

/** `bytes` scaled to `unit`, with the number of decimals to show. */
export function scaleBytes(
  bytes: number,
  unit: SizeUnit = unitFor(bytes),
): { value: number; digits: number; unit: SizeUnit } {
  const value = bytes / 1000 ** SIZE_UNITS.indexOf(unit);
  const digits = unit === 'B' ? 0 : Math.abs(value) >= 100 ? 1 : 2;
  return { value, digits, unit };
}

/** English, for the command line and logs: "134.2 MB". */
export function formatBytesEnglish(bytes: number, unit?: SizeUnit): string {
  if (!Number.isFinite(bytes)) return '?';
  const scaled = scaleBytes(bytes, unit);
  return `${scaled.value.toFixed(scaled.digits)} ${scaled.unit}`;
}
