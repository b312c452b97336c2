import { describe, expect, it } from 'vitest';
import { decideStreamStart, headerValue, parseContentRange } from '../../../src/background/firefox/stream-start.js';
import type { HashCheckpoint } from '../../../src/core/hash/types.js';

const checkpoint: HashCheckpoint = { engine: 'hash-wasm', offset: 64 << 20, states: { sha256: 'AA==' } };

describe('parseContentRange', () => {
  it('parses valid ranges', () => {
    expect(parseContentRange('bytes 0-99/100')).toEqual({ start: 0, end: 99, total: 100 });
    expect(parseContentRange('Bytes 67108864-1073741823/1073741824')).toEqual({
      start: 67108864,
      end: 1073741823,
      total: 1073741824,
    });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9 });
  });

  it('rejects malformed or inconsistent ranges', () => {
    for (const bad of [
      undefined,
      '',
      'bytes */100',
      'bytes 9-5/100',
      'bytes 0-100/100',
      'items 0-1/2',
      'bytes -1-5/10',
      'bytes 0-1/2 junk',
    ]) {
      expect(parseContentRange(bad)).toBeUndefined();
    }
  });
});

describe('headerValue', () => {
  it('is case-insensitive', () => {
    expect(headerValue([{ name: 'Content-Range', value: 'x' }], 'content-range')).toBe('x');
    expect(headerValue([], 'content-range')).toBeUndefined();
  });
});

describe('decideStreamStart', () => {
  it('hashes a 200 from byte 0 with its length as total', () => {
    expect(
      decideStreamStart({ statusCode: 200, headers: [{ name: 'Content-Length', value: '1000' }] }, undefined),
    ).toEqual({ kind: 'fresh', total: 1000 });
    expect(decideStreamStart({ statusCode: 200, headers: [] }, checkpoint)).toEqual({ kind: 'fresh' });
  });

  it('resumes a 206 only at the checkpoint offset', () => {
    const at = (start: number) => [{ name: 'content-range', value: `bytes ${start}-1073741823/1073741824` }];
    expect(decideStreamStart({ statusCode: 206, headers: at(64 << 20) }, checkpoint)).toEqual({
      kind: 'resume',
      checkpoint,
      total: 1073741824,
    });
    expect(decideStreamStart({ statusCode: 206, headers: at((64 << 20) - 1) }, checkpoint).kind).toBe('skip');
    expect(decideStreamStart({ statusCode: 206, headers: at(64 << 20) }, undefined).kind).toBe('skip');
    expect(decideStreamStart({ statusCode: 206, headers: [] }, checkpoint).kind).toBe('skip');
  });

  it('skips other statuses and encoded bodies', () => {
    expect(decideStreamStart({ statusCode: 304, headers: [] }, undefined).kind).toBe('skip');
    expect(decideStreamStart({ statusCode: 404, headers: [] }, undefined).kind).toBe('skip');
    expect(
      decideStreamStart({ statusCode: 200, headers: [{ name: 'Content-Encoding', value: 'gzip' }] }, undefined).kind,
    ).toBe('skip');
    expect(
      decideStreamStart({ statusCode: 200, headers: [{ name: 'Content-Encoding', value: 'identity' }] }, undefined)
        .kind,
    ).toBe('fresh');
  });
});
