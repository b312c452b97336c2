// Types for build/manifest.js (plain JS so webpack's config can import it without a loader).
import type { Profile } from '../src/core/profile.js';

export const FIREFOX_ID: string;
export const FIREFOX_MIN_VERSION: string;
export const EXTENSION_PAGES_CSP: string;
export const BROWSERS: readonly ['chrome', 'firefox'];
export const REPRODUCE_DOC: string;
export function sitePatterns(siteUrl: string): string[];
export function profileHostPermissions(profile: Pick<Profile, 'officialSite' | 'rebuilders'>): string[];
export function officialSiteBridge(
  siteUrl: string,
  browser: 'chrome' | 'firefox',
): {
  content_scripts: { matches: string[]; js: string[]; run_at: string; all_frames: boolean }[];
  web_accessible_resources: { resources: string[]; matches: string[] }[];
};
export function officialSiteDownloadLinks(siteUrl: string): {
  matches: string[];
  js: string[];
  run_at: string;
  all_frames: boolean;
};
export function buildManifest(input: {
  base: Record<string, any>;
  browser: 'chrome' | 'firefox';
  profile: Pick<Profile, 'id' | 'officialSite' | 'rebuilders'>;
  version: string;
  baseName: string;
}): Record<string, any>;
export function readManifestInputs(root: string): { base: Record<string, any>; version: string; baseName: string };
export function listFiles(dir: string, prefix?: string): string[];
export class ExtensionOutputPlugin {
  constructor(options: { root: string; publicDir: string; profile: Profile });
  apply(compiler: unknown): void;
}
