/**
 * `iso-verify verify <device>`: a USB stick read back and checked against the signed release.
 * On a real block device (a loop device over a file made here) when the tests run as root and
 * losetup works; otherwise on a regular file standing for the stick (`--as` names the image).
 * Which one ran is printed once.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, mountsOf, sudoLine } from '../../../src/cli/device.js';
import { firstDifference, readDevice } from '../../../src/cli/device-read.js';
import { gptBackupHeaderOffset, partitionTableGrown } from '../../../src/cli/first-start.js';
import { DEMO_SECRET_KEY, Gpg, makeDemoRelease, randomBytes, type DemoRelease } from './gpg-release.js';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';

const tmp = tempDir('iso-verify-device-');
const MIB = 1024 * 1024;
let gpg: Gpg;
let release: DemoRelease; // 5 MB + 1 byte: not sector-aligned, several 4 MiB reads
let gptRelease: DemoRelease; // 4 MiB image with a GPT whose backup header is its last sector

/** Loop devices need root and /dev/loop-control; else a regular file stands for the stick. */
function loopAvailable(): boolean {
  // ISO_VERIFY_TEST_NO_LOOP=1 runs the file fallback as root too.
  if (process.getuid?.() !== 0 || process.env.ISO_VERIFY_TEST_NO_LOOP) return false;
  try {
    const probe = path.join(tmp.dir, 'probe');
    writeFileSync(probe, new Uint8Array(MIB));
    const dev = execFileSync('losetup', ['--find', '--show', '--read-only', probe], { encoding: 'utf8' }).trim();
    execFileSync('losetup', ['--detach', dev]);
    return true;
  } catch {
    return false;
  }
}
let useLoop = false;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A stick holding `bytes` (padded with zeros to `size`): the loop device (attached read-only,
 * as a second guard; our code never writes) or the backing file. Detached in every case.
 */
async function withStick<T>(
  label: string,
  bytes: Uint8Array,
  size: number,
  run: (stick: string, backing: string) => Promise<T>,
): Promise<T> {
  const backing = path.join(tmp.dir, `${label}.stick`);
  const content = new Uint8Array(size);
  content.set(bytes.subarray(0, Math.min(bytes.length, size)));
  writeFileSync(backing, content);
  const before = sha256(readFileSync(backing));
  let dev: string | undefined;
  try {
    if (useLoop) dev = execFileSync('losetup', ['--find', '--show', backing], { encoding: 'utf8' }).trim();
    const result = await run(dev ?? backing, backing);
    // The stick's bytes are unchanged afterwards.
    expect(sha256(readFileSync(backing))).toBe(before);
    if (dev) expect(sha256(readFileSync(dev))).toBe(sha256(content));
    return result;
  } finally {
    if (dev) execFileSync('losetup', ['--detach', dev]);
  }
}

function args(stick: string, r: DemoRelease, extra: string[] = []): string[] {
  // A regular file is a stick only with --as (else it is an image file to verify).
  const as = useLoop || extra.includes('--as') ? [] : ['--as', r.imageName];
  return [
    'verify',
    stick,
    ...as,
    '--profile',
    'demo',
    '--offline',
    '--descriptor',
    r.description,
    '--signature',
    r.descriptionSignature,
    '--image-signature',
    r.imageSignature,
    '--state',
    path.join(tmp.dir, `state-${Math.random().toString(36).slice(2)}.json`),
    ...extra,
  ];
}

/** A GPT header in sector 1 whose backup header (AlternateLBA) is at `backupLba`. */
function withGpt(bytes: Uint8Array, backupLba: number): Uint8Array {
  const out = bytes.slice();
  const header = Buffer.alloc(92);
  header.write('EFI PART', 0, 'latin1');
  header.writeBigUInt64LE(1n, 24);
  header.writeBigUInt64LE(BigInt(backupLba), 32);
  out.set(header, 512);
  return out;
}

beforeAll(() => {
  useLoop = loopAvailable();
  console.log(
    useLoop
      ? 'device tests: on loop devices (root, losetup)'
      : 'device tests: on regular files (no root or no losetup)',
  );
  gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  release = makeDemoRelease(gpg, path.join(tmp.dir, 'r91'), '9.1', randomBytes(5_000_001));
  const gptImage = withGpt(randomBytes(4 * MIB), (4 * MIB) / 512 - 1);
  gptRelease = makeDemoRelease(gpg, path.join(tmp.dir, 'r93'), '9.3', gptImage);
});
afterAll(() => tmp.cleanup());

describe('iso-verify verify <USB stick>', () => {
  it('the right stick (larger than the image) → 0, "holds exactly", read from the medium', async () => {
    await withStick('right', release.imageBytes, 8 * MIB, async (stick) => {
      const r = await runInProcess(args(stick, release));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(
        `VERIFIED: the USB stick ${stick} holds exactly Tails 9.1 (USB image) as signed by Tails's pinned key.`,
      );
      expect(r.stdout).toContain(`${release.sha256}  expected (same)`);
      expect(r.stdout).toMatch(/read {8}5000001 bytes, from the medium \(page cache bypassed\)/);
    });
  });

  it('without --as, the image comes from the release data (sizes), never from the stick', async () => {
    await withStick('noas', release.imageBytes, 8 * MIB, async (stick) => {
      const r = await runInProcess(
        [...args(stick, release), '--json'].filter((a, i, all) => !(a === '--as' || all[i - 1] === '--as')),
      );
      if (!useLoop) {
        // A regular file without --as is an image file, judged by its name: not a release's.
        expect(JSON.parse(r.stdout).verdict).toBe('wrong-release');
        return;
      }
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.verdict).toBe('verified');
      expect(report.device).toMatchObject({
        path: stick,
        kind: 'block-device',
        size: 8 * MIB,
        uncached: true,
        bytesRead: 5_000_001,
        candidates: [release.imageName],
      });
    });
  });

  it('a release file that does not exist → 2, a usage error naming the option, the stick is not read', async () => {
    await withStick('nodata', release.imageBytes, 8 * MIB, async (stick) => {
      const r = await runInProcess([
        'verify',
        stick,
        ...(useLoop ? [] : ['--as', release.imageName]),
        '--profile',
        'demo',
        '--offline',
        '--descriptor',
        path.join(tmp.dir, 'missing.json'),
        '--json',
      ]);
      expect(r.status).toBe(2);
      const report = JSON.parse(r.stdout);
      expect(report.verdict).toBe('usage');
      expect(JSON.stringify(report)).toContain('--descriptor');
      expect(report.device).toBeUndefined(); // nothing was read
    });
  });

  for (const [where, offset] of [
    ['the first sector', 0],
    ['the middle', 2_500_000],
    ['the last sector of the image', 5_000_000],
  ] as const) {
    it(`one changed byte in ${where} → 1 "does not match", offset with --compare`, async () => {
      const bad = release.imageBytes.slice();
      bad[offset] = bad[offset]! ^ 0xff;
      await withStick(`bad-${offset}`, bad, 8 * MIB, async (stick) => {
        const plain = await runInProcess(args(stick, release));
        expect(plain.status).toBe(1);
        expect(plain.stdout.split('\n')[0]).toMatch(
          new RegExp(
            `^DOES NOT MATCH: the USB stick .* does not hold Tails 9\\.1 \\(USB image\\): its first 5000001 bytes differ from the signed image; where it differs cannot be located without a copy of the image \\(add --compare <image file>\\)`,
          ),
        );
        expect(oneErrorLine(plain.stderr)).toMatch(
          /^iso-verify: mismatch: the first 5000001 bytes of .* are not Tails 9\.1 \(USB image\)$/,
        );

        const located = await runInProcess([...args(stick, release, ['--compare', release.image]), '--json']);
        expect(located.status).toBe(1);
        const report = JSON.parse(located.stdout);
        expect(report.verdict).toBe('mismatch');
        expect(report.device.compared).toEqual({ path: release.image, firstDifference: offset });
        expect(report.device.startedByTails).toBeUndefined();
      });
    });
  }

  it('the human answer names the offset in bytes and GB/MB', async () => {
    const bad = release.imageBytes.slice();
    bad[2_500_000] = bad[2_500_000]! ^ 1;
    await withStick('bad-human', bad, 8 * MIB, async (stick) => {
      const r = await runInProcess(args(stick, release, ['--compare', release.image]));
      expect(r.stdout.split('\n')[0]).toContain(
        `the first difference from ${release.image} is at byte 2500000 (2.5 MB)`,
      );
    });
  });

  it('a stick shorter than the image → 1 "incomplete"', async () => {
    await withStick('short', release.imageBytes, 3 * MIB, async (stick) => {
      const r = await runInProcess([...args(stick, release, ['--as', release.imageName]), '--json']);
      expect(r.status).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.verdict).toBe('incomplete');
      expect(report.missingBytes).toBe(5_000_001 - 3 * MIB);
      expect(report.device.bytesRead).toBe(3 * MIB);
      expect(oneErrorLine(r.stderr)).toMatch(
        /^iso-verify: incomplete: .* has 3145728 of the 5000001 bytes of Tails 9\.1 \(USB image\)$/,
      );
    });
  });

  it('a stick Tails has started from (partition table grown to the stick) is named as such', async () => {
    const stickSize = 8 * MIB;
    const started = withGpt(gptRelease.imageBytes, stickSize / 512 - 1);
    await withStick('started', started, stickSize, async (stick) => {
      const r = await runInProcess(args(stick, gptRelease));
      expect(r.status).toBe(1);
      expect(r.stdout.split('\n')[0]).toMatch(
        /^DOES NOT MATCH: the USB stick .* is no longer the image as written: Tails has already been started from it/,
      );
    });
    // The freshly written image, on the same larger stick: verified, and not called "started".
    await withStick('fresh-gpt', gptRelease.imageBytes, stickSize, async (stick) => {
      const r = await runInProcess(args(stick, gptRelease));
      expect(r.status).toBe(0);
    });
  });

  it('a mounted stick gets a warning with the umount line (loop device as root; else the table test below)', async () => {
    if (!useLoop) {
      console.log('mounted-stick test: no loop devices here; mountsOf is tested on a given table');
      return;
    }
    // A stick that holds a file system, mounted: not the image, and said to be mounted.
    const backing = path.join(tmp.dir, 'mounted.stick');
    writeFileSync(backing, new Uint8Array(8 * MIB));
    execFileSync('mkfs.ext2', ['-q', '-F', backing]);
    const dev = execFileSync('losetup', ['--find', '--show', backing], { encoding: 'utf8' }).trim();
    const where = path.join(tmp.dir, 'mount point');
    mkdirSync(where);
    try {
      execFileSync('mount', ['-o', 'ro', dev, where]);
      try {
        const r = await runInProcess(args(dev, release, ['--as', release.imageName]));
        expect(r.stderr).toContain(`${dev} is mounted (${where})`);
        expect(r.stderr).toContain(`umount '${where}'`);
        expect(r.status).toBe(1);
      } finally {
        execFileSync('umount', [where]);
      }
    } finally {
      execFileSync('losetup', ['--detach', dev]);
    }
  });

  it('only block devices and regular files: /dev/null is refused', async () => {
    const r = await runInProcess([
      'verify',
      '/dev/null',
      '--profile',
      'demo',
      '--offline',
      '--descriptor',
      release.description,
    ]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain('/dev/null: not a block device or a regular file');
  });

  it('a missing device says how to find the stick', async () => {
    const r = await runInProcess(['verify', '/dev/iso-verify-no-such-disk', '--profile', 'demo', '--offline']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no such device or file (is the USB stick plugged in? 'lsblk' lists the disks)");
  });

  it('--compare without a device is a usage error', async () => {
    const r = await runInProcess([
      'verify',
      release.image,
      '--compare',
      release.image,
      '--profile',
      'demo',
      '--offline',
    ]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: verify: --compare is for checking a USB stick/);
  });
});

describe('device reading', () => {
  it('SHA-256 and SHA-512 at each length, on one thread and on two, equal sha256sum/sha512sum', async () => {
    await withStick('hash', release.imageBytes, 8 * MIB, async (stick) => {
      const expected = (n: number, a: string) => createHash(a).update(release.imageBytes.subarray(0, n)).digest('hex');
      for (const singleThread of [true, false]) {
        const device = await openDevice(stick, []);
        try {
          const read = await readDevice(device, { lengths: [5_000_001, 4_000_000, 1], label: 'test', singleThread });
          try {
            for (const n of [1, 4_000_000, 5_000_001]) {
              expect(read.at(n).bytes).toBe(n);
              expect(read.at(n).digests).toEqual({ sha256: expected(n, 'sha256'), sha512: expected(n, 'sha512') });
              // The continuation can be finished with a suffix, as an OpenPGP trailer is.
              const cont = read.at(n).continuations.sha512!.clone();
              cont.update(new Uint8Array([1, 2, 3]));
              const full = createHash('sha512')
                .update(release.imageBytes.subarray(0, n))
                .update(new Uint8Array([1, 2, 3]))
                .digest('hex');
              expect(Buffer.from(cont.digest()).toString('hex')).toBe(full);
            }
            expect(read.parallel).toBe(!singleThread);
          } finally {
            await read.close();
          }
        } finally {
          await device.handle.close();
        }
      }
    });
  });

  it('progress on a terminal: MB/s and time left', async () => {
    await withStick('progress', release.imageBytes, 8 * MIB, async (stick) => {
      const r = await runInProcess(args(stick, release), { stderrIsTTY: true });
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/reading .*\d+% +[\d.]+ MB\/s +ETA /);
    });
  });

  it('Ctrl-C (the abort signal) ends the read at once, as "aborted", and the device can be closed', async () => {
    await withStick('abort', release.imageBytes, 8 * MIB, async (stick) => {
      const device = await openDevice(stick, []);
      try {
        const controller = new AbortController();
        controller.abort(new Error('interrupted'));
        await expect(
          readDevice(device, { lengths: [5_000_001], label: 'test', signal: controller.signal }),
        ).rejects.toMatchObject({ code: 'aborted' });
      } finally {
        await device.handle.close();
      }
    });
  });

  it('firstDifference finds the first differing byte', () => {
    const a = randomBytes(100_000);
    expect(firstDifference(a, a.slice())).toBeUndefined();
    for (const at of [0, 1, 63, 64, 65, 50_000, 99_999]) {
      const b = a.slice();
      b[at] = b[at]! ^ 0x80;
      expect(firstDifference(a, b)).toBe(at);
    }
  });

  it('the GPT backup header location explains a stick changed after writing', () => {
    const image = withGpt(new Uint8Array(4096), 7);
    expect(gptBackupHeaderOffset(image)).toBe(7 * 512);
    expect(partitionTableGrown(image, 4096, 8192)).toBe(false);
    const grown = withGpt(new Uint8Array(4096), 15);
    expect(partitionTableGrown(grown, 4096, 8192)).toBe(true);
    expect(partitionTableGrown(grown, 4096, 4096)).toBe(false); // not larger: no room to grow
    expect(gptBackupHeaderOffset(new Uint8Array(4096))).toBeUndefined();
  });

  it('the sudo line repeats the command, quoted for the shell', () => {
    expect(sudoLine(['verify', '/dev/sdb', '--as', 'tails-amd64-7.6.1.img'])).toBe(
      'sudo iso-verify verify /dev/sdb --as tails-amd64-7.6.1.img',
    );
    expect(sudoLine(['verify', "/dev/my disk's"])).toBe(`sudo iso-verify verify '/dev/my disk'\\''s'`);
  });

  it('mount points: none for a device nobody mounted', async () => {
    expect(await mountsOf('/dev/iso-verify-no-such-disk')).toEqual([]);
  });

  it('mount points: the device and its partitions, not a device whose name only starts the same', async () => {
    const table = [
      '/dev/sdb1 /media/amnesia/Tails vfat rw 0 0',
      '/dev/sdb2 /media/amnesia/TailsData\\040Persistent ext4 rw 0 0',
      '/dev/sdbb1 /media/other ext4 rw 0 0',
      '/dev/loop1p1 /mnt/a ext4 rw 0 0',
      '/dev/loop10 /mnt/b ext4 rw 0 0',
      'proc /proc proc rw 0 0',
    ].join('\n');
    expect(await mountsOf('/dev/sdb', table)).toEqual(['/media/amnesia/Tails', '/media/amnesia/TailsData Persistent']);
    expect(await mountsOf('/dev/loop1', table)).toEqual(['/mnt/a']);
    expect(await mountsOf('/dev/sdc', table)).toEqual([]);
  });
});
