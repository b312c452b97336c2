import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeEngine, readFileBlocks } from '../../../src/cli/native-engine.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { hashStream } from '../../../src/core/hash/index.js';
import { nodeDigest, prngBytes } from './helpers.js';

const MIB = 1024 * 1024;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iso-verify-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readFileBlocks', () => {
  it.each([[0], [1], [MIB], [5 * MIB + 7]])('feeds hashStream correctly, size %i', async (size) => {
    const data = prngBytes(size, size + 5);
    const path = join(dir, `f-${size}`);
    await writeFile(path, data);
    for (const engine of [nativeEngine, undefined]) {
      const result = await hashStream(readFileBlocks(path, MIB), { algorithms: ['sha256', 'sha512'], engine });
      expect(result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
      expect(result.bytes).toBe(size);
    }
  });

  it('a missing file is io-failed', async () => {
    const error = await hashStream(readFileBlocks(join(dir, 'missing')), { algorithms: ['sha256'] }).catch((e) => e);
    expect(error).toBeInstanceOf(IsoVerifyError);
    expect((error as IsoVerifyError).code).toBe('io-failed');
  });

  it('stops cleanly when the consumer aborts', async () => {
    const path = join(dir, 'abort');
    await writeFile(path, prngBytes(8 * MIB, 1));
    const controller = new AbortController();
    let seen = 0;
    const error = await hashStream(readFileBlocks(path, MIB), {
      algorithms: ['sha256'],
      chunkSize: MIB,
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 1) controller.abort();
      },
    }).catch((e) => e);
    expect((error as IsoVerifyError).code).toBe('aborted');
  });
});
