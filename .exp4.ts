import { createGpgHome } from './test/helpers/gpg.js';
import { loadPinnedKeyring, verifyDetached } from './src/core/openpgp/index.js';
const h = await createGpgHome();
const T0 = new Date('2024-01-01T00:00:00Z');
const E = await h.genKeyFromParameters({ 'Key-Type': 'ECDSA', 'Key-Curve': 'nistp256', 'Key-Usage': 'sign,cert', 'Name-Real': 'Ecdsa', 'Name-Email': 'ecdsa@example.org', 'Expire-Date': '0' }, {fakedTime: T0});
const kr = await loadPinnedKeyring([await h.exportKey(E)], [E]);
let bad = 0;
for (let i = 0; i < 60; i++) {
  const data = new TextEncoder().encode('data ' + i);
  const sig = await h.detachSign(data, { keyId: E, digestAlgo: 'SHA256', fakedTime: new Date('2024-02-01T00:00:00Z') });
  const r = await verifyDetached(kr, data, sig, { over: 'description' });
  if (!r.good) { bad++; console.log(i, JSON.stringify(r.error), (await h.verifyWithGpg(sig, data)).keyword, Buffer.from(sig).toString('hex')); }
}
console.log('bad', bad);
await h.cleanup();
