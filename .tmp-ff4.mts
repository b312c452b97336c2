import { launchWithExtension } from './test/e2e/harness.js';
import { startDemoWorld } from './test/e2e/world.js';
const world = await startDemoWorld();
const dir = `/tmp/exp/ff-filter-before`;
for (const how of ['a-download', 'fetch-in-page']) {
  const eb = await launchWithExtension('firefox', { extensionDir: dir });
  const img = world.image('img');
  const url = world.mirrorUrlFor('good', img);
  const p = await eb.openPage(world.siteUrl + '/install/');
  if (how === 'a-download') {
    await p.evaluate((u) => { const a = document.createElement('a'); a.href = u; a.download = ''; a.id = 'x'; a.textContent = 'x'; document.body.append(a); }, url);
    await p.click('#x');
    await eb.waitForFile(img.name, { size: img.size }).catch(e => console.log(e.message));
  } else {
    console.log(await p.evaluate(async (u) => { const r = await fetch(u, { headers: { Range: 'bytes=0-1048575' } }); return (await r.arrayBuffer()).byteLength; }, url));
  }
  await new Promise(r => setTimeout(r, 1500));
  console.log(how, JSON.stringify(await eb.storage('log')));
  await eb.close();
}
await world.close();
