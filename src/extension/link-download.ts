/**
 * Firefox: a click on the official site's download link, handed to the background so the
 * download starts with downloads.download() — the only way Firefox lets us hash it while it
 * arrives (why: src/background/firefox/firefox-stream.ts, header comment).
 *
 * Two pure decisions, one per side:
 * - `clickedImageLink` (content script, src/site/download-links.ts): is this click one a
 *   person made to download an image, with nothing asking for another behaviour (new tab,
 *   save-as, a handler that cancelled it)? Only then is the navigation replaced.
 * - `checkLinkDownload` (background): the URL the content script sends is accepted only when
 *   it names an image of the profile on a pool mirror or the official site. The content
 *   script can send nothing else, so the site can at most start the download its own link
 *   would have started.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import type { Mirror } from '../core/release/types.js';
import { MAX_LINK_URL_CHARS } from '../wire/messages.js';
import { fileNameFromUrl, matchesImagePattern, sourcePrefixFor } from './download-match.js';

/** What the content script knows about a click and the link it hit. */
export interface LinkClick {
  /** Event.isTrusted: made by the user, not dispatched by the page's script. */
  isTrusted: boolean;
  /** MouseEvent.button: 0 is the primary button. */
  button: number;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** A page handler already cancelled the navigation. */
  defaultPrevented: boolean;
  /** The resolved href of the nearest link (a/area) on the event path; undefined when none. */
  href: string | undefined;
  /** The content script runs in a private window (the background starts the download private too). */
  incognito: boolean;
}

/**
 * The URL to hand to the background when the click is a plain primary-button click on a link
 * whose file name matches the profile's image pattern; undefined to leave the click alone.
 * Where the link points (mirror or not) is for the background to judge.
 */
export function clickedImageLink(profile: Pick<Profile, 'imagePattern'>, click: LinkClick): string | undefined {
  if (!click.isTrusted || click.defaultPrevented) return undefined;
  if (click.button !== 0 || click.ctrlKey || click.shiftKey || click.altKey || click.metaKey) return undefined;
  if (click.href === undefined || click.href.length > MAX_LINK_URL_CHARS) return undefined;
  const name = fileNameFromUrl(click.href);
  if (name === undefined || !matchesImagePattern(profile, name)) return undefined;
  return click.href;
}

export interface LinkDownload {
  /** The URL to download (fragment dropped: it never reaches the server). */
  url: string;
  fileName: string;
  /** The mirror or official-site prefix it is on. */
  source: string;
}

/** Accept `url` from the content script only for an image of the profile on a pool mirror or the official site. */
export function checkLinkDownload(
  profile: Pick<Profile, 'officialSite' | 'imagePattern'>,
  pool: readonly Mirror[],
  url: string,
): LinkDownload {
  if (url.length > MAX_LINK_URL_CHARS) throw new IsoVerifyError('input-too-large', `link of ${url.length} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IsoVerifyError('input-invalid-value', 'link is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new IsoVerifyError('input-invalid-value', `link scheme ${parsed.protocol.slice(0, 20)}`);
  if (parsed.username || parsed.password) throw new IsoVerifyError('input-invalid-value', 'link carries credentials');
  parsed.hash = '';
  const href = parsed.href;
  const fileName = fileNameFromUrl(href);
  if (fileName === undefined || !matchesImagePattern(profile, fileName)) {
    throw new IsoVerifyError(
      'input-invalid-value',
      `link does not name an image of this profile: ${(fileName ?? '').slice(0, 80)}`,
    );
  }
  const source = sourcePrefixFor(profile, pool, href);
  if (source === undefined)
    throw new IsoVerifyError(
      'input-invalid-value',
      `link is on neither a pool mirror nor the official site: ${parsed.host.slice(0, 80)}`,
    );
  return { url: href, fileName, source };
}

/**
 * Whether the sending tab is private (tabs.Tab.incognito): the download we start for it must be
 * private too. Undefined when the sender says nothing clear, and the link is then left alone.
 */
export function senderIncognito(tab: unknown): boolean | undefined {
  if (typeof tab !== 'object' || tab === null) return undefined;
  const incognito = (tab as { incognito?: unknown }).incognito;
  return typeof incognito === 'boolean' ? incognito : undefined;
}
