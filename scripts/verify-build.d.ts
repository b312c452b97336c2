// Types for scripts/verify-build.js, for the tests.
export interface Difference {
  file: string;
  reason: string;
  offset?: number;
}
export interface Leak {
  file: string;
  found: string;
}
export function sourceFiles(dir: string): string[];
export function copyFiles(from: string, to: string, files: string[]): void;
export function linkNodeModules(from: string, to: string): void;
export function firstDifference(a: Uint8Array, b: Uint8Array): number;
export function compareTrees(dirA: string, dirB: string): { files: string[]; differences: Difference[] };
export function findLeaks(dir: string, needles: string[]): Leak[];
export function otherLocale(): string;
export function diffoscopeSummary(a: string, b: string): string | null;
export function verifyBuild(options?: {
  dir?: string;
  profile?: string;
  sumsFile?: string;
  keep?: boolean;
  log?: (line: string) => void;
}): {
  ok: boolean;
  seconds: number;
  epoch: number;
  files: string[];
  sums: string;
  differences: Difference[];
  leaks: Leak[];
  diffoscope: string | null;
  workDir: string | null;
};
export function mostTellingDifference(differences: Difference[]): Difference | undefined;
