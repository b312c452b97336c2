/**
 * RFC 4880 5.2.4: a v4 signature hashes the data, then the signature's hashed part
 * (`signatureData`: version through hashed subpackets), then this trailer: the version (0x04),
 * 0xFF, and the length of the hashed part as a four-octet big-endian number.
 */
export function v4HashedTrailer(signatureDataLength: number): Uint8Array {
  if (!Number.isInteger(signatureDataLength) || signatureDataLength < 0 || signatureDataLength > 0xffffffff) {
    throw new RangeError('signature data length out of range');
  }
  return Uint8Array.of(
    0x04,
    0xff,
    (signatureDataLength >>> 24) & 0xff,
    (signatureDataLength >>> 16) & 0xff,
    (signatureDataLength >>> 8) & 0xff,
    signatureDataLength & 0xff,
  );
}
