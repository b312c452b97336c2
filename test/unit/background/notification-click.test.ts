/**
 * The notification's click is one action of the person's: it must lead straight to the
 * verification page for that download, whose picker names the file (issue 13, Chromium
 * without file access: at most 3 actions from the download click to the verdict).
 */
import { describe, expect, it } from 'vitest';
import { Controller } from '../../../src/background/controller.js';
import { trackedIdFromNotification } from '../../../src/background/notification-text.js';
import { fakeContext, item, manualTimer } from './fake-context.js';

describe('notification click (no file access)', () => {
  it('a download waiting for its file notifies, and the click opens verify.html for exactly that download', async () => {
    const setup = fakeContext();
    setup.browser.fileAccess = false;
    const c = new Controller(setup.ctx, { timer: manualTimer });
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000, bytesReceived: 1000 }));
    await c.tracking.onCreated(item({ state: 'complete', fileSize: 1000, bytesReceived: 1000 }));
    expect((await setup.ctx.downloads.get('dl-1'))?.phase).toBe('awaiting-file');
    expect(setup.hashed).toEqual([]);
    const [notification] = setup.browser.notifications;
    expect(notification).toBeDefined();
    const id = trackedIdFromNotification(notification!);
    expect(id).toBe('dl-1');
    await c.requests.onNotificationClicked(id!);
    expect(setup.browser.tabs).toEqual(['ext://id/verify.html?download=dl-1']);
    expect(setup.browser.cleared).toEqual([notification]);
  });
});
