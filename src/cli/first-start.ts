/**
 * Has Tails already started from this stick? Its first start adapts the stick to its real size
 * (Tails' issue tracker, work item 20531: the partition table is checked and rewritten, the
 * system partition and its file system are grown; a Persistent Storage is added after it
 * later): the GPT's backup header, which the image has in its own last sector, then sits in the
 * stick's last sector. That is what this reads — only to EXPLAIN a difference already proven by
 * the signature, never to decide anything: bytes on the stick are not signed facts.
 */

/** Where the primary GPT header says the backup header is, in bytes from the start; undefined without a GPT. */
export function gptBackupHeaderOffset(head: Uint8Array): number | undefined {
  for (const sector of [512, 4096]) {
    if (head.length < sector + 92) continue;
    const header = Buffer.from(head.buffer, head.byteOffset + sector, 92);
    if (header.toString('latin1', 0, 8) !== 'EFI PART') continue;
    const alternate = header.readBigUInt64LE(32);
    if (alternate > BigInt(Number.MAX_SAFE_INTEGER) / BigInt(sector)) return undefined;
    return Number(alternate) * sector;
  }
  return undefined;
}

/**
 * True when the stick's partition table was rewritten for a stick larger than the image: its
 * GPT backup header lies beyond the image's end (in a freshly written image it is the image's
 * last sector). Needs a device larger than the image.
 */
export function partitionTableGrown(head: Uint8Array, imageSize: number, deviceSize: number | undefined): boolean {
  const backup = gptBackupHeaderOffset(head);
  if (backup === undefined) return false;
  if (deviceSize !== undefined && deviceSize <= imageSize) return false;
  return backup >= imageSize;
}
