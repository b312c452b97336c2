/**
 * Reading a USB stick (or any block device, or a regular file standing for one) for `verify`:
 * opened read-only (O_RDONLY, never written), from the medium rather than the page cache.
 *
 * Why O_DIRECT, and how: the alternative, dropping the cache first, is not offered by Node
 * (no posix_fadvise, no BLKFLSBUF ioctl) and `echo 1 > /proc/sys/vm/drop_caches` needs root
 * and empties the cache of the whole machine. O_DIRECT reads bypass the cache, but the kernel
 * refuses (EINVAL) a buffer address, file position or length that is not aligned to the
 * device's logical block size, and Node does not align its buffers (malloc'd: typically 16
 * bytes past a page). So one SharedArrayBuffer is allocated 4 KiB larger than needed and the
 * first offset into it at which a one-block O_DIRECT read succeeds is found once, at opening;
 * every buffer then starts at that offset plus a multiple of 4 MiB, every read is at a multiple
 * of 4 MiB on the device and its length a multiple of 4 KiB. Where O_DIRECT is not available
 * (macOS has no O_DIRECT but /dev/rdiskN is uncached; a file system such as tmpfs refuses it),
 * the read is a normal one and the output says so.
 */
import { constants, readSync, type Stats } from 'node:fs';
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { IsoVerifyError } from '../core/errors.js';

/** Chunk read per call, as `dd bs=4M`. */
export const DEVICE_CHUNK = 4 * 1024 * 1024;
/** Buffers: half being read ahead, the rest being hashed (here and in the hashing thread). */
export const DEVICE_SLOTS = 8;
const ALIGN_SLACK = 4096;
const PROBE_BYTES = 8192;

export type DeviceKind = 'block-device' | 'raw-disk' | 'file';

export interface OpenedDevice {
  path: string;
  kind: DeviceKind;
  /** Total size in bytes when it can be known (regular file, Linux sysfs), else undefined. */
  size: number | undefined;
  /** True when reads bypass the page cache (O_DIRECT, or an uncached raw disk). */
  uncached: boolean;
  /** Why reads may come from the cache, when they may. */
  cacheNote?: string;
  handle: FileHandle;
  /** Shared memory holding DEVICE_SLOTS aligned buffers. */
  memory: SharedArrayBuffer;
  /** Byte offset in `memory` of slot 0 (aligned for O_DIRECT). */
  base: number;
}

/** `\\.\PhysicalDrive1` (Windows): a raw disk, not a path to resolve. */
export function isWindowsRawDisk(file: string): boolean {
  return /^\\\\\.\\PhysicalDrive\d+$/i.test(file);
}

/** A path that names a disk rather than an image file (decides which verify path to take). */
export function looksLikeDevice(file: string): boolean {
  return isWindowsRawDisk(file) || /^\/dev\//.test(file);
}

/** The exact command to run again with root, quoted for a POSIX shell. */
export function sudoLine(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['sudo', 'iso-verify', ...argv].map(quote).join(' ');
}

function ioError(file: string, error: unknown, argv: readonly string[]): IsoVerifyError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new IsoVerifyError(
      'io-failed',
      `${file}: permission denied: reading a USB stick needs administrator rights; run: ${sudoLine(argv)}`,
      { cause: error },
    );
  }
  if (code === 'ENOENT')
    return new IsoVerifyError(
      'io-failed',
      `${file}: no such device or file (is the USB stick plugged in? 'lsblk' lists the disks)`,
      { cause: error },
    );
  if (code === 'EBUSY') return new IsoVerifyError('io-failed', `${file}: the device is busy`, { cause: error });
  return new IsoVerifyError('io-failed', `${file}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

function kindOf(file: string, info: Stats | undefined): DeviceKind {
  if (info === undefined) return 'raw-disk';
  if (info.isBlockDevice()) return 'block-device';
  if (info.isFile()) return 'file';
  // macOS: /dev/rdiskN is the raw (uncached) character device of disk N.
  if (info.isCharacterDevice() && process.platform === 'darwin' && /^\/dev\/rdisk\d+$/.test(file)) return 'raw-disk';
  throw new IsoVerifyError('io-failed', `${file}: not a block device or a regular file`);
}

/** Linux: a block device's size from sysfs (512-byte sectors), by its device number. */
async function linuxBlockSize(info: Stats): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  const rdev = info.rdev;
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | ((Math.floor(rdev / 4096) & ~0xff) >>> 0);
  try {
    const sectors = Number((await readFile(`/sys/dev/block/${major}:${minor}/size`, 'utf8')).trim());
    return Number.isSafeInteger(sectors) ? sectors * 512 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The offset into `memory` at which O_DIRECT reads work: the first one at which reading two
 * pages at position 0 is not refused with EINVAL. (A read that stays within one memory page is
 * accepted at any address, so shorter probes would find a wrong offset.) Undefined when none
 * works (the file system does not do direct I/O after all).
 */
function findAlignedOffset(fd: number, memory: SharedArrayBuffer): number | undefined {
  const view = new Uint8Array(memory);
  for (let offset = 0; offset < ALIGN_SLACK; offset++) {
    try {
      readSync(fd, view, offset, PROBE_BYTES, 0);
      return offset;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    }
  }
  return undefined;
}

/**
 * Open a device read-only for verification. `argv` is the command line, for the sudo hint.
 * Only block devices, regular files and the platforms' raw disks (/dev/rdiskN, \\.\PhysicalDriveN).
 */
export async function openDevice(file: string, argv: readonly string[]): Promise<OpenedDevice> {
  let info: Stats | undefined;
  if (!isWindowsRawDisk(file)) {
    try {
      info = await stat(file);
    } catch (error) {
      throw ioError(file, error, argv);
    }
  }
  const kind = kindOf(file, info);
  const memory = new SharedArrayBuffer(DEVICE_SLOTS * DEVICE_CHUNK + ALIGN_SLACK);
  // O_DIRECT exists on Linux (and is undefined on macOS and Windows, where the raw disk is uncached).
  const direct = constants.O_DIRECT;
  let handle: FileHandle | undefined;
  let uncached = kind === 'raw-disk';
  let cacheNote: string | undefined;
  let base = 0;
  if (direct !== undefined) {
    try {
      handle = await open(file, constants.O_RDONLY | direct);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL') throw ioError(file, error, argv);
      cacheNote = 'the file system does not support direct reads (O_DIRECT), so bytes may come from the page cache';
    }
    if (handle) {
      const offset = findAlignedOffset(handle.fd, memory);
      if (offset === undefined) {
        await handle.close();
        handle = undefined;
        cacheNote = 'direct reads (O_DIRECT) were refused, so bytes may come from the page cache';
      } else {
        base = offset;
        uncached = true;
      }
    }
  } else if (!uncached) {
    cacheNote =
      process.platform === 'darwin'
        ? 'this is not a raw disk: on macOS read /dev/rdiskN (not /dev/diskN) to bypass the cache'
        : 'this system has no direct reads (O_DIRECT), so bytes may come from the cache';
  }
  if (!handle) {
    try {
      handle = await open(file, constants.O_RDONLY);
    } catch (error) {
      throw ioError(file, error, argv);
    }
  }
  const size =
    info === undefined
      ? undefined
      : kind === 'file'
        ? info.size
        : kind === 'block-device'
          ? await linuxBlockSize(info)
          : undefined;
  return { path: file, kind, size, uncached, ...(cacheNote ? { cacheNote } : {}), handle, memory, base };
}

/** One chunk read into a slot: its place in `memory` and how many bytes were read. */
export interface DeviceChunk {
  slot: number;
  offset: number;
  bytes: number;
}

/**
 * Read slot `slot` from device position `position` (a multiple of DEVICE_CHUNK), at most
 * `wanted` bytes (rounded up to 4 KiB for O_DIRECT; the caller uses only what it wanted). A read
 * that returns less than asked continues; 0 bytes means the end of the device.
 */
export async function readChunk(
  device: OpenedDevice,
  slot: number,
  position: number,
  wanted: number,
): Promise<DeviceChunk> {
  const offset = device.base + slot * DEVICE_CHUNK;
  const length = Math.min(DEVICE_CHUNK, Math.ceil(wanted / 4096) * 4096);
  const view = new Uint8Array(device.memory);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await device.handle.read(view, offset + filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return { slot, offset, bytes: Math.min(filled, wanted) };
}

/**
 * Mount points of the device or its partitions (/proc/self/mounts, or `table` in its format;
 * empty where there is none).
 */
export async function mountsOf(file: string, table?: string): Promise<string[]> {
  let mounts: string;
  let target: string;
  try {
    mounts = table ?? (await readFile('/proc/self/mounts', 'utf8'));
    target = await realpath(file).catch((error: unknown) => {
      if (table === undefined) throw error;
      return file; // a given table may name devices this machine does not have
    });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of mounts.split('\n')) {
    const [source, where] = line.split(' ');
    if (!source?.startsWith('/dev/') || where === undefined) continue;
    let real = source;
    try {
      real = await realpath(source);
    } catch {
      // a stale mount source: compare its name as written
    }
    const rest = real.startsWith(target) ? real.slice(target.length) : undefined;
    // /dev/sdb1 for /dev/sdb; /dev/loop0p1, /dev/nvme0n1p1, /dev/mmcblk0p1 for names ending in a
    // digit (so /dev/loop10 is not a partition of /dev/loop1).
    const partition = /\d$/.test(target) ? /^(p\d+)?$/ : /^(\d+)?$/;
    if (rest !== undefined && partition.test(rest)) out.push(where.replace(/\\040/g, ' '));
  }
  return out;
}
