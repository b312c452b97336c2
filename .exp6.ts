import { enums } from 'openpgp';
import { createGpgHome } from './test/helpers/gpg.js';
import { craftDetachedSignature } from './test/unit/openpgp/craft.js';
import { loadPinnedKeyring, verifyDetached } from './src/core/openpgp/index.js';
const h = await createGpgHome();
const T0 = new Date('2024-01-01T00:00:00Z'), T1 = new Date('2024-02-01T00:00:00Z');
const P = await h.genKey({ uid: 'P <p@x>', algo: 'rsa2048', usage: 'cert', fakedTime: T0 });
const R = await h.addSubkey(P, { algo: 'rsa2048', usage: 'sign', fakedTime: T0 });
const kr = await loadPinnedKeyring([await h.exportKey(P)], [P]);
const secret = (await h.exportKey(P, { secret: true })).toString();
let bad = 0;
for (let i = 0; i < 100; i++) {
  const data = new TextEncoder().encode('d' + i);
  const s = await craftDetachedSignature(secret, R, data, T1, enums.hash.sha224);
  const r = await verifyDetached(kr, data, s, { over: 'description' });
  if (!r.good) { bad++; console.log(i, JSON.stringify(r.error)); continue; }
  const g = await h.verifyWithGpg(s, data);
  if (g.keyword !== 'GOODSIG') { bad++; console.log(i, 'gpg', g.keyword, g.output); }
}
console.log('bad', bad);
await h.cleanup();
