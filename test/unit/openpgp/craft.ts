/**
 * Signatures GnuPG refuses to make (by a subkey without the sign flag, by a key that has already
 * expired or was revoked at signing time), made with openpgp.js from a secret key that gpg
 * generated and exported. Test-only: the product never signs.
 */
import { config, createMessage, enums, PacketList, readPrivateKey, SignaturePacket, armor } from 'openpgp';

export async function craftDetachedSignature(
  secretKeyArmored: string,
  signerFingerprint: string,
  data: Uint8Array,
  created: Date,
  hash: enums.hash = enums.hash.sha256,
): Promise<string> {
  const key = await readPrivateKey({ armoredKey: secretKeyArmored });
  const signer = key.getKeys().find((k) => k.getFingerprint() === signerFingerprint.toLowerCase());
  if (!signer) throw new Error(`no secret (sub)key ${signerFingerprint}`);
  const packet = new SignaturePacket();
  packet.signatureType = enums.signature.binary;
  packet.hashAlgorithm = hash;
  packet.publicKeyAlgorithm = signer.keyPacket.algorithm;
  const message = await createMessage({ binary: data });
  const literal = message.packets.findPacket(enums.packet.literalData);
  // SignaturePacket.sign(key, literalData, date, detached, config): typings omit the last
  // parameter and call the data a Uint8Array; this is the call openpgp.js makes internally.
  const sign = packet.sign.bind(packet) as unknown as (k: unknown, d: unknown, date: Date, detached: boolean, c: unknown) => Promise<void>;
  await sign(signer.keyPacket, literal, created, true, config);
  const list = new PacketList<SignaturePacket>();
  list.push(packet);
  return armor(enums.armor.signature, list.write());
}
