/**
 * Who may send the background which message. What a message may contain is checked by its
 * one parser, parseBackgroundRequest (src/wire/messages.ts).
 */
import type { BackgroundRequest } from '../wire/messages.js';

/** What runtime.onMessage tells about the sender (runtime.MessageSender). */
export interface SenderFacts {
  id?: string;
  url?: string;
  /** Set when the sender is a content script in a tab. */
  tab?: unknown;
}

export interface SenderPolicy {
  extensionId: string;
  /** This extension's origin, e.g. chrome-extension://<id> or moz-extension://<uuid>. */
  extensionOrigin: string;
  /** The profile's official site: its content scripts may ask only to open the verify page and (Firefox) to download a clicked image link. */
  officialSite: string;
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    // Extension origins serialise as "null" in some engines: rebuild them from scheme + host.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export type SenderKind = 'extension-page' | 'official-site' | 'rejected';

/** Who sent a message: only this extension's pages are trusted with state and verdicts. */
export function classifySender(sender: SenderFacts, policy: SenderPolicy): SenderKind {
  if (sender.id !== policy.extensionId) return 'rejected';
  const origin = originOf(sender.url);
  if (origin === undefined) return 'rejected';
  if (origin === originOf(policy.extensionOrigin)) return 'extension-page';
  if (sender.tab !== undefined && origin === originOf(policy.officialSite)) return 'official-site';
  return 'rejected';
}

/** Whether `kind` may send `request`. The official site gets a high-level action only (docs/design.md "Trust model"). */
export function isAllowedRequest(kind: SenderKind, request: BackgroundRequest): boolean {
  if (kind === 'extension-page') return true;
  if (kind === 'official-site') {
    // start-download: a clicked link, judged again by the background (link-download.ts).
    return (request.type === 'open-verify-page' && request.id === undefined) || request.type === 'start-download';
  }
  return false;
}
