import { describe, expect, it } from 'vitest';
import { FileAccessWelcome } from '../../../src/background/chromium/file-access-welcome.js';
import { toAwaitingFile } from '../../../src/wire/download.js';
import { extensionDetailsUrl, startsAwaitingFile, welcomeDue } from '../../../src/extension/file-access.js';
import { downloadKey, STORAGE_KEYS } from '../../../src/extension/storage.js';
import { FakeBrowser } from './fake-context.js';
import { tracked } from './fixtures.js';
import { MemoryStorage } from './memory-storage.js';

const AT = '2025-01-01T00:00:00.000Z';

describe('file-access rules', () => {
  it('the details page of this extension', () => {
    expect(extensionDetailsUrl('abcdefghijklmnopabcdefghijklmnop')).toBe(
      'chrome://extensions/?id=abcdefghijklmnopabcdefghijklmnop',
    );
  });

  it('welcome is due once per trigger, only while file access is known to be off', () => {
    expect(welcomeDue({}, 'install', false)).toBe(true);
    expect(welcomeDue({}, 'install', true)).toBe(false);
    expect(welcomeDue({}, 'install', 'unknown')).toBe(false);
    expect(welcomeDue({ install: AT }, 'install', false)).toBe(false);
    expect(welcomeDue({ install: AT }, 'firstNeed', false)).toBe(true);
    expect(welcomeDue({ firstNeed: AT }, 'firstNeed', false)).toBe(false);
  });

  it('it matters when a download starts waiting for its file without an error', () => {
    const waiting = toAwaitingFile(tracked(), undefined, AT);
    expect(startsAwaitingFile({ oldValue: tracked({ phase: 'verifying' }), newValue: waiting })).toBe(true);
    expect(startsAwaitingFile({ newValue: waiting })).toBe(true);
    expect(startsAwaitingFile({ oldValue: waiting, newValue: waiting })).toBe(false);
    expect(startsAwaitingFile({ newValue: toAwaitingFile(tracked(), { code: 'io-failed' }, AT) })).toBe(false);
    expect(startsAwaitingFile({ newValue: tracked() })).toBe(false);
    expect(startsAwaitingFile({ newValue: 'junk' })).toBe(false);
  });
});

describe('FileAccessWelcome', () => {
  function rig(fileAccess: boolean | Error) {
    const browser = new FakeBrowser();
    browser.fileAccess = fileAccess;
    const area = new MemoryStorage();
    const welcome = new FileAccessWelcome({ browser: browser.port, area, now: () => AT });
    return { browser, area, welcome };
  }
  const waitingChange = () => ({
    [downloadKey('dl-1')]: {
      oldValue: tracked({ phase: 'verifying' }),
      newValue: toAwaitingFile(tracked(), undefined, AT),
    },
  });

  it('opens welcome.html on install and on the first download that waits for its file, once each', async () => {
    const r = rig(false);
    await r.welcome.onInstalled('update');
    expect(r.browser.tabs).toEqual([]);
    await r.welcome.onInstalled('install');
    await r.welcome.onInstalled('install');
    expect(r.browser.tabs).toEqual(['ext://id/welcome.html']);
    await Promise.all([r.welcome.onStorageChanged(waitingChange()), r.welcome.onStorageChanged(waitingChange())]);
    expect(r.browser.tabs).toEqual(['ext://id/welcome.html', 'ext://id/welcome.html']);
    await r.welcome.onStorageChanged(waitingChange());
    expect(r.browser.tabs).toHaveLength(2);
    expect((await r.area.get(STORAGE_KEYS.fileAccessWelcome))[STORAGE_KEYS.fileAccessWelcome]).toEqual({
      install: AT,
      firstNeed: AT,
    });
  });

  it('never opens it with file access on, or when the browser cannot say', async () => {
    for (const access of [true, new Error('no such API')]) {
      const r = rig(access);
      await r.welcome.onInstalled('install');
      await r.welcome.onStorageChanged(waitingChange());
      expect(r.browser.tabs).toEqual([]);
    }
  });

  it('other storage changes do not open it', async () => {
    const r = rig(false);
    await r.welcome.onStorageChanged({ [downloadKey('dl-1')]: { newValue: tracked() }, mirrorPool: { newValue: {} } });
    expect(r.browser.tabs).toEqual([]);
  });
});
