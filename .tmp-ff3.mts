import { launchWithExtension } from './test/e2e/harness.js';
import { startDemoWorld } from './test/e2e/world.js';
import fs from 'node:fs';
const world = await startDemoWorld();
const dir = `/tmp/exp/ff-filter-before`;
for (const how of ['site-link', 'goto', 'no-disposition']) {
  const eb = await launchWithExtension('firefox', { extensionDir: dir });
  const img = world.image('img');
  if (how === 'site-link') {
    const p = await eb.openPage(world.siteUrl + '/install/');
    await p.click('[data-testid="download-img"]');
    await eb.waitForFile(img.name, { size: img.size });
  } else if (how === 'goto') {
    const p = await eb.browser.newPage();
    await p.goto(world.mirrorUrlFor('good', img)).catch((e) => console.log('goto', e.message.slice(0, 60)));
    await eb.waitForFile(img.name, { size: img.size });
  } else {
    // .sig from the mirror: application/pgp-signature, not an attachment
    const p = await eb.browser.newPage();
    await p.goto(world.mirrorUrlFor('good', img) + '.sig').catch((e) => console.log('goto', e.message.slice(0, 60)));
  }
  await new Promise(r => setTimeout(r, 1500));
  console.log(how, JSON.stringify(await eb.storage('log')), fs.readdirSync(eb.downloadDir));
  await eb.close();
}
await world.close();
