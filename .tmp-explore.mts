import { launchWithExtension, waitForVerdict } from './test/e2e/harness.js';
import { startDemoWorld } from './test/e2e/world.js';
const name = (process.argv[2] ?? 'firefox') as 'firefox' | 'chromium';
const mirrorMode = process.argv[3] ?? 'good';
const world = await startDemoWorld();
const eb = await launchWithExtension(name, { extensionDir: `dist/${name === 'firefox' ? 'firefox' : 'chrome'}`, dumpio: !!process.env.DUMPIO });
try {
  const img = world.image('img');
  const t0 = Date.now();
  await eb.download(world.mirrorUrlFor(mirrorMode as never, img));
  const d = await eb.waitForDownload((d) => d.fileName === img.name, { timeoutMs: 120_000, settled: (d) => !!d.verdict || d.phase === 'awaiting-file' || d.phase === 'done' || d.phase === 'interrupted' });
  console.log('settled after', Date.now() - t0, 'ms', d.phase, d.verdict?.kind, JSON.stringify(d.error), (d.verdict as any)?.reason);
  const popup = await eb.openExtensionPage('popup.html', { width: 400, height: 600 });
  const v = await waitForVerdict(popup, { timeoutMs: 10_000 }).catch((e) => 'no verdict: ' + e.message.slice(0, 80));
  console.log('popup verdict', v);
  await popup.screenshot({ path: `/tmp/exp/${name}-${mirrorMode}-popup.png` });
  console.log(await popup.evaluate(() => document.body.innerText.slice(0, 500)));
} finally {
  await eb.close();
  await world.close();
}
