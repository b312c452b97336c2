import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileTrustState, defaultStatePath, stateNotSavedNote } from '../../../src/cli/file-trust-state.js';
import { describeError, messageFor } from '../../../src/cli/messages.js';
import { createNodeFetcher, isUrl } from '../../../src/cli/node-fetcher.js';
import { createProgressBar, formatDuration, progressLine } from '../../../src/cli/progress-bar.js';
import messages from '../../../public/_locales/en/messages.json';
import { tempDir } from './harness.js';
import { codeOf } from '../../helpers/error-code.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const opts = { maxBytes: 100, timeoutMs: 1000 };

describe('node fetcher: paths and URLs', () => {
  const calls: string[] = [];
  const fakeFetch: typeof globalThis.fetch = async (input) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return new Response('remote bytes', { status: 200 });
  };
  const fetcher = createNodeFetcher({
    fetch: fakeFetch,
    cwd: tmp.dir,
    userAgent: 'test',
    now: () => new Date('2026-01-02T03:04:05Z'),
  });

  it('tells URLs from paths (a drive letter is a path)', () => {
    expect(isUrl('https://tails.net/x')).toBe(true);
    expect(isUrl('file:///tmp/x')).toBe(true);
    expect(isUrl('/tmp/x')).toBe(false);
    expect(isUrl('latest.json')).toBe(false);
    expect(isUrl('C:\\Users\\x.iso')).toBe(false);
  });

  it('reads relative paths and file: URLs from disk, with the time of reading', async () => {
    writeFileSync(path.join(tmp.dir, 'small.txt'), 'hello');
    const got = await fetcher('small.txt', opts);
    expect(new TextDecoder().decode(got.bytes)).toBe('hello');
    expect(got.source).toBe(path.join(tmp.dir, 'small.txt'));
    expect(got.fetchedAt).toBe('2026-01-02T03:04:05.000Z');
    const viaUrl = await fetcher(pathToFileURL(path.join(tmp.dir, 'small.txt')).href, opts);
    expect(viaUrl.bytes).toEqual(got.bytes);
    expect(calls).toEqual([]);
  });

  it('caps local files like downloads, and names missing files', async () => {
    writeFileSync(path.join(tmp.dir, 'big.txt'), 'x'.repeat(101));
    expect(await codeOf(fetcher('big.txt', opts))).toBe('input-too-large');
    writeFileSync(path.join(tmp.dir, 'exact.txt'), 'x'.repeat(100));
    expect((await fetcher('exact.txt', opts)).bytes.length).toBe(100);
    await expect(fetcher('missing.txt', opts)).rejects.toThrow(/missing\.txt: no such file/);
  });

  it('fetches https and loopback http, refuses plain http elsewhere', async () => {
    expect(new TextDecoder().decode((await fetcher('https://example.org/a', opts)).bytes)).toBe('remote bytes');
    expect((await fetcher('http://127.0.0.1:8470/b', opts)).bytes.length).toBe(12);
    expect((await fetcher('http://localhost:8470/c', opts)).bytes.length).toBe(12);
    expect(await codeOf(fetcher('http://example.org/d', opts))).toBe('fetch-insecure-url');
    expect(calls).toEqual(['https://example.org/a', 'http://127.0.0.1:8470/b', 'http://localhost:8470/c']);
  });
});

describe('file trust state', () => {
  it('defaults to $XDG_STATE_HOME, else ~/.local/state (a relative XDG_STATE_HOME is ignored)', () => {
    expect(defaultStatePath({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' })).toBe('/x/state/iso-verify/state.json');
    expect(defaultStatePath({ HOME: '/home/u' })).toBe('/home/u/.local/state/iso-verify/state.json');
    expect(defaultStatePath({ XDG_STATE_HOME: 'rel', HOME: '/home/u' })).toBe(
      '/home/u/.local/state/iso-verify/state.json',
    );
  });

  it('creates the directory, writes atomically with mode 0600, and keeps other records', async () => {
    const file = path.join(tmp.dir, 'deep', 'dir', 'state.json');
    const state = createFileTrustState(file);
    expect(await state.get('a')).toBeUndefined();
    await state.put('a', { version: '1.0', signatureTime: '2021-01-01T00:00:00.000Z' });
    await createFileTrustState(file).put('b', { version: '2.0', signatureTime: '2021-02-01T00:00:00.000Z' });
    expect(await createFileTrustState(file).get('a')).toEqual({
      version: '1.0',
      signatureTime: '2021-01-01T00:00:00.000Z',
    });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).records).sort()).toEqual(['a', 'b']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']); // no temp files left
  });

  it('refuses a corrupt state file instead of starting empty', async () => {
    const file = path.join(tmp.dir, 'bad-state.json');
    writeFileSync(file, '{"records": 5}');
    expect(await codeOf(createFileTrustState(file).get('a'))).toBe('input-malformed');
    writeFileSync(file, '{');
    expect(
      await codeOf(createFileTrustState(file).put('a', { version: '1.0', signatureTime: '2021-01-01T00:00:00Z' })),
    ).toBe('input-malformed');
    expect(readFileSync(file, 'utf8')).toBe('{');
  });

  it('keeps a failed write as saveError (io-failed) instead of failing the finished check', async () => {
    const blocker = path.join(tmp.dir, 'blocker');
    writeFileSync(blocker, '');
    const state = createFileTrustState(path.join(blocker, 'state.json'));
    expect(state.saveError).toBeUndefined();
    await state.put('a', { version: '1.0', signatureTime: '2021-01-01T00:00:00Z' });
    expect(state.saveError?.code).toBe('io-failed');
    expect(state.saveError?.detail).toMatch(/cannot write state file .*blocker\/state\.json/);
    expect(stateNotSavedNote(state)).toMatch(/^rollback state could not be saved/);
    expect(existsSync(path.join(blocker, 'state.json'))).toBe(false);
  });
});

describe('progress bar', () => {
  it('formats percent, rate and ETA', () => {
    const line = progressLine(
      'hashing x.img',
      { bytes: 500_000_000, total: 1_000_000_000, rate: 250_000_000, etaSeconds: 2 },
      100,
    );
    expect(line).toMatch(/^hashing x\.img \[#+\.+\] {2}50% {2}250\.0 MB\/s {2}ETA 0:02$/);
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
    expect(progressLine('h', { bytes: 2_000_000, rate: 1_000_000 })).toBe('h  2.0 MB  1.0 MB/s');
  });

  it('draws nothing unless the stream is a TTY; throttles redraws; always draws 100%', () => {
    let quiet = '';
    const none = createProgressBar({ write: (t: string) => (quiet += t), isTTY: false }, 'h');
    none.update({ bytes: 1, total: 2, rate: 1 });
    none.finish();
    expect(quiet).toBe('');

    let out = '';
    let clock = 0;
    const bar = createProgressBar({ write: (t: string) => (out += t), isTTY: true, columns: 80 }, 'h', () => clock);
    bar.update({ bytes: 1, total: 100, rate: 1 });
    clock = 100;
    bar.update({ bytes: 2, total: 100, rate: 1 }); // within 250 ms: skipped
    clock = 120;
    bar.update({ bytes: 100, total: 100, rate: 1 }); // complete: drawn anyway
    bar.finish();
    const frames = out.split('\r').filter((f) => f !== '');
    expect(frames).toHaveLength(3);
    expect(frames[0]).toContain('  1%');
    expect(frames[1]).toContain('100%');
    expect(frames[2]).toBe('\x1b[K');
    expect(frames.every((f) => f.length < 80 + 3)).toBe(true);
  });
});

describe('messages come from the English locale', () => {
  it('uses the locale text for a code, without its full stop, with the detail after it', () => {
    expect(messageFor('signature-bad')).toBe(messages.err_signature_bad.message.replace(/\.$/, ''));
    expect(describeError({ code: 'io-failed', detail: '/x: no such file' })).toBe(
      'The file could not be read (/x: no such file)',
    );
  });
});
