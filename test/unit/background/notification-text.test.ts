import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_MESSAGE_KEYS,
  notificationFor,
  notificationId,
  trackedIdFromNotification,
} from '../../../src/background/notification-text.js';
import { badgeFor } from '../../../src/background/badge.js';
import { VERDICT_KINDS } from '../../../src/core/verdict.js';
import { tracked, verdict } from './fixtures.js';

const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/_locales');

describe('notification wording', () => {
  it('exists in every locale for every key the background uses', () => {
    const locales = fs.readdirSync(localesDir).filter((l) => fs.existsSync(path.join(localesDir, l, 'messages.json')));
    expect(locales).toContain('en');
    for (const locale of locales) {
      const messages = JSON.parse(fs.readFileSync(path.join(localesDir, locale, 'messages.json'), 'utf8')) as Record<
        string,
        { message: string; placeholders?: Record<string, { content: string }> }
      >;
      for (const key of BACKGROUND_MESSAGE_KEYS) {
        expect(messages[key]?.message, `${locale}: ${key}`).toBeTruthy();
        // Every $NAME$ used must be declared (the browser prints it raw otherwise).
        for (const [, name] of messages[key]!.message.matchAll(/\$([A-Z_]+)\$/g)) {
          expect(messages[key]!.placeholders?.[name!.toLowerCase()], `${locale}: ${key} $${name}$`).toBeDefined();
        }
      }
    }
  });

  it('covers every verdict kind and the badge titles use known keys', () => {
    for (const kind of VERDICT_KINDS) {
      const text = notificationFor(tracked({ phase: 'done', verdict: verdict(kind) }));
      expect(BACKGROUND_MESSAGE_KEYS).toContain(text!.titleKey);
      expect(BACKGROUND_MESSAGE_KEYS).toContain(text!.messageKey);
      expect(text!.substitutions).toEqual(['tails-amd64-7.2.img']);
      expect(BACKGROUND_MESSAGE_KEYS).toContain(
        badgeFor([tracked({ phase: 'done', verdict: verdict(kind) })]).titleKey,
      );
    }
    expect(notificationFor(tracked({ phase: 'awaiting-file' }))?.titleKey).toBe('bg_title_pick_file');
    expect(notificationFor(tracked({ phase: 'failed', error: { code: 'internal' } }))?.titleKey).toBe('bg_title_error');
    expect(notificationFor(tracked({ phase: 'downloading' }))).toBeUndefined();
  });

  it('round-trips notification ids and rejects others', () => {
    expect(trackedIdFromNotification(notificationId('dl-5'))).toBe('dl-5');
    expect(trackedIdFromNotification('iso-verify:x')).toBeUndefined();
    expect(trackedIdFromNotification('other:dl-5')).toBeUndefined();
  });
});
