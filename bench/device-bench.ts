/**
 * The USB-stick rows of `npm run bench`: reading a block device the way `iso-verify verify
 * /dev/sdX` does (O_DIRECT, SHA-256 + SHA-512) against `dd if=<device> bs=4M iflag=direct |
 * sha512sum` on the same device, in the same run, interleaved (best of N each). The device is a
 * read-only loop device over the benchmark file, so root is needed; without it the rows are
 * skipped and say so. Target: (i)/(h) >= 0.9.
 */
import { execFileSync, spawn } from 'node:child_process';
import { openDevice } from '../src/cli/device.js';
import { readDevice } from '../src/cli/device-read.js';

export interface DeviceBenchRow {
  key: string;
  label: string;
  seconds: number;
  bytes: number;
  sha512: string;
}

async function ddSha512(device: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `dd if="$1" bs=4M iflag=direct status=none | sha512sum`, 'sh', device]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.split(/\s+/)[0] ?? '') : reject(new Error(`dd | sha512sum exited ${code}: ${err}`)),
    );
  });
}

async function ours(device: string, bytes: number): Promise<string> {
  const opened = await openDevice(device, []);
  try {
    const read = await readDevice(opened, { lengths: [bytes], label: 'bench' });
    try {
      if (!opened.uncached) throw new Error(`${device}: not read with O_DIRECT (${opened.cacheNote ?? '?'})`);
      return read.at(bytes).digests.sha512!;
    } finally {
      await read.close();
    }
  } finally {
    await opened.handle.close();
  }
}

/** Both rows, or a reason they were skipped. */
export async function deviceBench(file: string, bytes: number, repeat: number): Promise<DeviceBenchRow[] | string> {
  if (process.getuid?.() !== 0) return 'skipped: a loop device needs root (run the benchmark as root)';
  let device: string;
  try {
    device = execFileSync('losetup', ['--find', '--show', '--read-only', file], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `skipped: losetup failed (${(error as Error).message.split('\n')[0]})`;
  }
  try {
    const best = { dd: Number.POSITIVE_INFINITY, ours: Number.POSITIVE_INFINITY };
    let ddDigest = '';
    let ourDigest = '';
    for (let i = 0; i < repeat; i++) {
      // Interleaved, so both see the same machine load.
      let started = performance.now();
      ddDigest = await ddSha512(device);
      best.dd = Math.min(best.dd, (performance.now() - started) / 1000);
      started = performance.now();
      ourDigest = await ours(device, bytes);
      best.ours = Math.min(best.ours, (performance.now() - started) / 1000);
    }
    if (ddDigest !== ourDigest) throw new Error(`SHA-512 differs: dd|sha512sum ${ddDigest}, ours ${ourDigest}`);
    return [
      {
        key: 'h',
        label: `dd bs=4M iflag=direct | sha512sum (${device}, child, wall)`,
        seconds: best.dd,
        bytes,
        sha512: ddDigest,
      },
      {
        key: 'i',
        label: `verify <device>: O_DIRECT, SHA-256 + SHA-512 (${device})`,
        seconds: best.ours,
        bytes,
        sha512: ourDigest,
      },
    ];
  } finally {
    execFileSync('losetup', ['--detach', device]);
  }
}
