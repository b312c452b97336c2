import { launchWithExtension } from './test/e2e/harness.js';
import { startDemoWorld } from './test/e2e/world.js';
import fs from 'node:fs';
const world = await startDemoWorld();
for (const mode of ['before', 'headers-sync', 'headers-async']) {
  const dir = `/tmp/exp/ff-filter-${mode}`;
  fs.cpSync('/tmp/exp/ff-filter', dir, { recursive: true });
  fs.writeFileSync(`${dir}/bg.js`, fs.readFileSync('/tmp/exp/ff-filter/bg.js', 'utf8').replace('MODE_PLACEHOLDER', mode));
  const eb = await launchWithExtension('firefox', { extensionDir: dir });
  const img = world.image('img');
  await eb.download(world.mirrorUrlFor('good', img));
  await eb.waitForFile(img.name, { size: img.size });
  await new Promise(r => setTimeout(r, 1000));
  console.log(mode, JSON.stringify(await eb.storage('log')));
  // also navigate a normal page load (not a download)
  await eb.openPage(world.siteUrl + '/install/');
  await new Promise(r => setTimeout(r, 500));
  console.log(mode, 'after page', JSON.stringify(await eb.storage('log')));
  await eb.close();
}
await world.close();
