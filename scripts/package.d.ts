// Types for scripts/package.js (plain JS so `npm run package` needs no loader), for the tests.
export const DEFAULT_SOURCE_DATE_EPOCH: number;
export const DEFLATE_OPTIONS: Readonly<{ level: 9; mem: 12 }>;
export const FILE_MODE: number;
export const EXECUTABLE_MODE: number;
export const BROWSERS: string[];
export const CLI_OUTPUT: string;
export const SUMS_FILE: string;
export const BUILDINFO_FILE: string;
export function sourceDateEpoch(options?: { env?: Record<string, string | undefined>; dir?: string }): {
  epoch: number;
  source: 'SOURCE_DATE_EPOCH' | 'git' | 'default';
};
export function lastCommitEpoch(dir: string): number | null;
export function dosDateTime(epoch: number): { date: number; time: number };
export function crc32(bytes: Uint8Array): number;
export function writeZip(
  entries: { name: string; data: Uint8Array; mode?: number }[],
  options: { epoch: number },
): Uint8Array;
export function listFiles(dir: string, prefix?: string): string[];
export function zipDirectory(dir: string, options: { epoch: number }): Uint8Array;
export function sha256sumsText(dir: string, files: string[]): string;
export function builtProfile(manifest: { name?: unknown }): string;
export function buildInfoText(options: { dir?: string; version: string; profile: string; epoch: number }): string;
export function packageAll(options?: { dir?: string; distDir?: string; epoch?: number }): string[];
