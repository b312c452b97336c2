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
  const sign = packet.sign.bind(packet) as unknown as (
    k: unknown,
    d: unknown,
    date: Date,
    detached: boolean,
    c: unknown,
  ) => Promise<void>;
  await sign(signer.keyPacket, literal, created, true, config);
  const list = new PacketList<SignaturePacket>();
  list.push(packet);
  return armor(enums.armor.signature, list.write());
}

/**
 * A v6 signature packet made by a v4 (sub)key, which RFC 9580 forbids and openpgp.js would
 * never make: sign() reads key.version twice — for the packet version (6), then for the issuer
 * fingerprint subpacket (4, the truth) — and a null key ID leaves out the Issuer Key ID
 * subpacket that v6 signatures may not carry. Binary packet bytes.
 */
export async function craftV6SignatureByV4Key(
  secretKeyArmored: string,
  signerFingerprint: string,
  data: Uint8Array,
  created: Date,
): Promise<Uint8Array> {
  const key = await readPrivateKey({ armoredKey: secretKeyArmored });
  const signer = key.getKeys().find((k) => k.getFingerprint() === signerFingerprint.toLowerCase());
  if (!signer) throw new Error(`no secret (sub)key ${signerFingerprint}`);
  let reads = 0;
  const asV6 = Object.create(signer.keyPacket, {
    version: { get: () => (reads++ === 0 ? 6 : 4) },
    getKeyID: {
      value: () => ({ isNull: () => true, write: () => new Uint8Array(8), toHex: () => '0000000000000000' }),
    },
  }) as typeof signer.keyPacket;
  const packet = new SignaturePacket();
  packet.signatureType = enums.signature.binary;
  packet.hashAlgorithm = enums.hash.sha512;
  packet.publicKeyAlgorithm = signer.keyPacket.algorithm;
  const literal = (await createMessage({ binary: data })).packets.findPacket(enums.packet.literalData);
  const sign = packet.sign.bind(packet) as unknown as (
    k: unknown,
    d: unknown,
    date: Date,
    detached: boolean,
    c: unknown,
  ) => Promise<void>;
  await sign(asV6, literal, created, true, config);
  const list = new PacketList<SignaturePacket>();
  list.push(packet);
  return list.write();
}
