/**
 * Write the shipped copy of a pinned key, as small as verification allows (issue #19; Heads
 * ships Tails' key stripped the same way): the primary key; each user ID with its NEWEST
 * self-certification and the primary key's revocations of it; every subkey with its NEWEST
 * binding signature (which embeds the back-signature) and every revocation; key revocations
 * and direct-key signatures. Dropped: third-party certifications, photo IDs, superseded
 * self-signatures and bindings.
 *
 * Superseded self-signatures are not needed because a signature made before the newest one is
 * judged by the earliest later self-signature when none of its own time was kept — GnuPG's rule,
 * and what a key exported by GnuPG after `--quick-set-expire` holds anyway (README "The key's
 * life"). Every real Tails signature in ../shared/fixtures verifies with the result exactly as
 * with the full key (test/unit/openpgp/key-life-real.test.ts, tails*.test.ts).
 *
 *   npx tsx scripts/minimize-key.ts <key file> <primary fingerprint> <out.asc>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PacketList, readKey, type AnyPacket, type SignaturePacket } from 'openpgp';
import { loadPinnedKeyring } from '../src/core/openpgp/keyring.js';
import { OPENPGP_CONFIG } from '../src/core/openpgp/policy.js';

const [input, fingerprint, output] = process.argv.slice(2);
if (!input || !fingerprint || !output) {
  console.error('usage: tsx scripts/minimize-key.ts <key file> <primary fingerprint> <out.asc>');
  process.exit(2);
}
// Self-signatures only (third-party certifications dropped), as the product loads keys.
const keyring = await loadPinnedKeyring([new Uint8Array(readFileSync(input))], [fingerprint]);
const key = keyring.keys[0]!;
const newest = (signatures: readonly SignaturePacket[]): SignaturePacket[] =>
  signatures.length === 0 ? [] : [[...signatures].sort((a, b) => b.created!.getTime() - a.created!.getTime())[0]!];

const kept = new PacketList<AnyPacket>();
const direct = (key as unknown as { directSignatures?: SignaturePacket[] }).directSignatures ?? [];
kept.push(key.keyPacket, ...key.revocationSignatures, ...direct);
for (const user of key.users) {
  if (!user.userID) continue;
  kept.push(user.userID, ...user.revocationSignatures, ...newest(user.selfCertifications));
}
for (const subkey of key.subkeys)
  kept.push(subkey.keyPacket, ...subkey.revocationSignatures, ...newest(subkey.bindingSignatures));
const minimal = await readKey({ binaryKey: kept.write(), config: OPENPGP_CONFIG });
const text = minimal.armor(OPENPGP_CONFIG);
writeFileSync(output, text);
console.log(
  `${output}: ${minimal.getKeys().length - 1} subkeys, newest self-signatures only, ${text.length} bytes armored (${minimal.write().length} binary)`,
);
