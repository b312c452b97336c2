/**
 * Write the shipped copy of a pinned key: self-signatures only (no third-party certifications,
 * no photo IDs), every subkey with all its bindings and revocations, so that old signatures are
 * still judged by the binding that was valid when they were made (gpg's export-minimal would
 * keep only the newest binding and break that).
 *
 *   npx tsx scripts/minimize-key.ts <key file> <primary fingerprint> <out.asc>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadPinnedKeyring } from '../src/core/openpgp/keyring.js';

const [input, fingerprint, output] = process.argv.slice(2);
if (!input || !fingerprint || !output) {
  console.error('usage: tsx scripts/minimize-key.ts <key file> <primary fingerprint> <out.asc>');
  process.exit(2);
}
const keyring = await loadPinnedKeyring([new Uint8Array(readFileSync(input))], [fingerprint]);
writeFileSync(output, keyring.keys[0]!.armor());
console.log(`${output}: ${keyring.keys[0]!.getKeys().length - 1} subkeys, self-signatures only`);
