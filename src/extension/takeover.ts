/**
 * Firefox: taking over a download the browser started by itself (a link on another page, a
 * typed URL: anything that creates a new download). Firefox hashes only downloads the extension
 * starts (src/background/firefox/firefox-stream.ts, header comment), so such a download of one of the
 * profile's images is cancelled at once and the same URL is downloaded again, under the same
 * file name, with downloads.download(). Pure: which downloads qualify, and under what name.
 * The background applies it (src/background/firefox/takeover.ts).
 */
import { errorInfo, type ErrorInfo } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import type { Mirror } from '../core/release/types.js';
import { baseName, matchDownload } from './download-match.js';
import { checkLinkDownload } from './link-download.js';

/** What the browser's onCreated says about a new download (downloads.DownloadItem). */
export interface CreatedDownload {
  id: number;
  url: string;
  /** Full local path Firefox picked (may be empty). */
  filename?: string;
  incognito: boolean;
  state: string;
  /** Set by Firefox when an extension started the download. */
  byExtensionId?: string;
}

export type TakeoverDecision =
  /** Not one to take over: tracking decides as for any download (ours, not an image, done already). */
  | { kind: 'ignore' }
  /** Cancel the browser's download and start `url` again, saved as `saveAs`. */
  | { kind: 'restart'; url: string; saveAs: string; fileName: string }
  /** An image of the profile, but it stays with the browser; the popup says why. */
  | { kind: 'leave'; error: ErrorInfo };

/** Characters a downloads.download() file name may not contain (Firefox refuses them, Windows too); control characters are checked apart. */
const UNSAFE_NAME = /["*:<>?\\/|]/;

function hasControlCharacter(name: string): boolean {
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The name to save the restart under: the name the browser chose, when it is a plain file name. */
export function restartFileName(localPath: string | undefined, fromUrl: string): string {
  const name = localPath ? baseName(localPath) : '';
  return name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !UNSAFE_NAME.test(name) &&
    !hasControlCharacter(name) &&
    name.length <= 255
    ? name
    : fromUrl;
}

/**
 * Whether a download just created by the browser is to be taken over. Only a download in
 * progress (in any window: a private one is restarted private), not started by this extension, of an image of the profile whose URL
 * (before redirects) is on a pool mirror or the official site — the same rule as a link the
 * official site's content script hands over (checkLinkDownload).
 */
export function takeoverDecision(
  profile: Pick<Profile, 'officialSite' | 'imagePattern'>,
  pool: readonly Mirror[],
  item: CreatedDownload,
): TakeoverDecision {
  if (item.state !== 'in_progress') return { kind: 'ignore' };
  // Ours (already hashed as it arrives), or another extension's: never fight another extension over its download.
  if (item.byExtensionId !== undefined && item.byExtensionId !== '') return { kind: 'ignore' };
  // Only the pool and the official site: an image from anywhere else is tracked where the browser put it (marked not in the pool), never restarted.
  if (
    matchDownload(profile, pool, { url: item.url, ...(item.filename ? { filename: item.filename } : {}) })?.inPool !==
    true
  )
    return { kind: 'ignore' };
  try {
    const target = checkLinkDownload(profile, pool, item.url);
    return {
      kind: 'restart',
      url: target.url,
      saveAs: restartFileName(item.filename, target.fileName),
      fileName: target.fileName,
    };
  } catch (error) {
    // Matched by its local name only, or a URL we would not start ourselves (credentials): leave it.
    return { kind: 'leave', error: { ...errorInfo(error), code: 'takeover-failed' } };
  }
}
