/**
 * One e2e file's demo world and the browser of the test that is running: the world starts
 * once (after checking the demo builds exist), the browser is closed after each test and then
 * `reset` puts the world back; the world stops after the file.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ExtensionBrowser } from './harness.js';
import { requireDemoBuilds, startDemoWorld, type DemoWorld } from './world.js';

export interface DemoSession {
  /** Set before the first test runs. */
  world: DemoWorld;
  /** The browser a test launched; closed after it. */
  browser: ExtensionBrowser | undefined;
}

export function useDemoSession(
  options: { reset?: (world: DemoWorld) => Promise<void>; afterAll?: () => void } = {},
): DemoSession {
  const session: { world?: DemoWorld; browser: ExtensionBrowser | undefined } = { browser: undefined };
  beforeAll(async () => {
    requireDemoBuilds();
    session.world = await startDemoWorld();
  });
  afterEach(async () => {
    await session.browser?.close();
    session.browser = undefined;
    if (session.world) await options.reset?.(session.world);
  });
  afterAll(async () => {
    await session.world?.close();
    options.afterAll?.();
  });
  return session as DemoSession;
}
