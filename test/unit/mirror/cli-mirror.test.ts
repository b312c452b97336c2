/**
 * `iso-verify mirror` in-process against the loopback official site and the loopback mirror
 * with faults (test/servers). Quick mode wherever it can tell; full hashing only for the
 * faults that only the bytes reveal (a changed byte, a dropped connection, a lying length).
 */
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runInProcess, type RunResult } from '../cli/harness.js';
import { startMirrorFixture, type MirrorFixture } from './fixture.js';

let f: MirrorFixture;
const userAgents: string[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  const ua = new Headers(init?.headers).get('user-agent');
  if (ua) userAgents.push(ua);
  return fetch(input, init);
};

beforeAll(async () => {
  f = await startMirrorFixture({ slowBytesPerSecond: 64 * 1024 });
});

afterAll(async () => {
  await f?.close();
});

function run(args: string[], options: { profile?: string; stderrIsTTY?: boolean } = {}): Promise<RunResult> {
  return runInProcess(['mirror', ...args, '--profile', options.profile ?? f.profilePath, '--state', f.statePath], {
    fetch: recordingFetch,
    stderrIsTTY: options.stderrIsTTY ?? false,
  });
}

/** The table rows of one mirror: "file status" pairs. */
function rows(stdout: string, prefix: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${prefix} `))
    .map((l) =>
      l
        .slice(prefix.length)
        .trim()
        .split(/\s{2,}/)
        .slice(0, 2)
        .join(' '),
    );
}

const IMG = 'tails-amd64-7.2.img';
const ISO = 'tails-amd64-7.2.iso';

describe('iso-verify mirror (quick)', () => {
  it('a correct mirror: every file OK, exit 0, a clear user agent', async () => {
    const r = await run([f.prefix('good'), '--quick']);
    expect(r.status).toBe(0);
    expect(rows(r.stdout, f.prefix('good'))).toEqual([`${IMG} OK`, `${IMG}.sig OK`, `${ISO} OK`, `${ISO}.sig OK`]);
    expect(r.stdout).toContain(`CORRECT  ${f.prefix('good')} (quick)`);
    expect(r.stdout).toMatch(/^Release: Tails 7\.2 .*description signed by the pinned key/m);
    expect(r.stderr).toBe('');
    expect(userAgents.length).toBeGreaterThan(0);
    for (const ua of userAgents)
      expect(ua).toMatch(/^iso-verify\/\d+\.\d+\.\d+ \(mirror check; \+https:\/\/tails\.net\)$/);
  });

  it.each([
    ['stale', 'MISSING', 'HTTP 404'],
    ['missing', 'MISSING', 'HTTP 404'],
    ['truncated', 'WRONG-LENGTH', 'Content-Length 104857600, signed size 134217728'],
    ['bad-length', 'WRONG-LENGTH', 'Content-Length 135266304, signed size 134217728'],
    ['redirect', 'REDIRECT-OFFSITE', 'redirected to http://localhost:'],
  ])('%s mirror: the image is %s, exit 1', async (mode, status, detail) => {
    const r = await run([f.prefix(mode), '--quick']);
    expect(r.status).toBe(1);
    const imgLine = r.stdout.split('\n').find((l) => l.startsWith(`${f.prefix(mode)} `) && l.includes(` ${IMG} `))!;
    expect(imgLine).toContain(` ${status} `);
    expect(imgLine).toContain(detail);
    expect(r.stdout).toContain(`BAD  ${f.prefix(mode)}`);
    expect(oneErrorLine(r.stderr)).toMatch(
      new RegExp(`^iso-verify: bad mirror: 1 of 1: ${f.prefix(mode).replace(/[.?]/g, '\\$&')}`),
    );
  });

  it('one bad mirror among good ones makes the whole run exit 1; --json gives one object', async () => {
    const r = await run([f.prefix('good'), f.prefix('missing'), '--quick', '--json', '--parallel', '2']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: false,
      exitStatus: 1,
      release: { product: 'Tails', version: '7.2', signed: true },
    });
    expect(out.mirrors.map((m: { mirror: string; ok: boolean }) => [m.mirror, m.ok])).toEqual([
      [f.prefix('good'), true],
      [f.prefix('missing'), false],
    ]);
    expect(out.mirrors[1].files[0]).toMatchObject({
      fileName: IMG,
      status: 'missing',
      httpStatus: 404,
      expectedSize: 134217728,
    });
    expect(out.release.files.every((file: Record<string, unknown>) => !('bytes' in file))).toBe(true);
  });

  it('--all checks the pool mirrors in use and skips the disabled ones with a note', async () => {
    const r = await run(['--all', '--quick']);
    expect(r.status).toBe(0);
    expect(rows(r.stdout, f.prefix('good'))).toHaveLength(4);
    expect(r.stdout).toContain(`skipped ${f.prefix('rogue')}: weight 0 in the pool (disabled)`);
    expect(r.stdout).toContain('1 mirror checked: 1 correct');
  });

  it('draws a progress bar on a terminal and erases it', async () => {
    const r = await run([f.prefix('good'), '--quick'], { stderrIsTTY: true });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('checking 1 mirror [');
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('iso-verify mirror (full)', () => {
  it('a correct mirror: every image hashed and verified, exit 0', async () => {
    const r = await run([f.prefix('good')]);
    expect(r.status).toBe(0);
    const imgLine = r.stdout.split('\n').find((l) => l.includes(` ${IMG} `))!;
    expect(imgLine).toMatch(/ OK +134\.2 MB +\d+\.\d MB\/s +verified: description signature by the pinned key/);
  });

  it.each([
    ['rogue', 'CORRUPT', 'SHA-256 differs from the release'],
    ['drop', 'DROPPED', 'connection closed after 67108864 of 134217728 bytes'],
    ['bad-length', 'WRONG-LENGTH', 'the 134217728 bytes served are right'],
  ])('%s mirror: %s, exit 1', async (mode, status, detail) => {
    const r = await run([f.prefix(mode)]);
    expect(r.status).toBe(1);
    const imgLine = r.stdout.split('\n').find((l) => l.startsWith(`${f.prefix(mode)} `) && l.includes(` ${IMG} `))!;
    expect(imgLine).toContain(` ${status} `);
    expect(imgLine).toContain(detail);
    oneErrorLine(r.stderr);
  });

  it('a very slow mirror times out (--timeout)', async () => {
    const started = Date.now();
    const r = await run([f.prefix('slow'), '--timeout', '0.5']);
    expect(r.status).toBe(1);
    expect(rows(r.stdout, f.prefix('slow'))).toEqual([
      `${IMG} TIMEOUT`,
      `${IMG}.sig OK`,
      `${ISO} TIMEOUT`,
      `${ISO}.sig OK`,
    ]);
    expect(r.stdout).toContain('no complete answer within');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('an unsigned description (like Tails today)', () => {
  let unsignedProfile: string;
  beforeAll(() => {
    const profile = JSON.parse(readFileSync(f.profilePath, 'utf8')) as Record<string, unknown>;
    delete profile.descriptionSignatureUrl;
    unsignedProfile = path.join(f.dir, 'unsigned.json');
    writeFileSync(unsignedProfile, JSON.stringify(profile));
  });

  it('quick mode says the sizes come from unsigned data', async () => {
    const r = await run([f.prefix('good'), '--quick', '--json'], { profile: unsignedProfile });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).release.signed).toBe(false);
    const table = await run([f.prefix('good'), '--quick'], { profile: unsignedProfile });
    expect(table.stdout).toMatch(/the description is NOT signed: quick mode compares with its unsigned sizes only/);
  });
});

describe('when the check cannot run (exit 2)', () => {
  it('a description signed by another key', async () => {
    f.site.setMode({ descriptionSigner: 'rogue' });
    try {
      const r = await run([f.prefix('good'), '--quick']);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: cannot check mirrors: .*description signature/);
    } finally {
      f.site.setMode('reset');
    }
  });

  it('no description at all', async () => {
    f.site.setMode({ description: 'missing' });
    try {
      const r = await run([f.prefix('good'), '--quick']);
      expect(r.status).toBe(2);
      expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: cannot check mirrors: .*image description/);
    } finally {
      f.site.setMode('reset');
    }
  });

  it.each([
    [[], /missing <url-prefix\|directory> \(or --all\)/],
    [['http://x.example/tails/', '--parallel', '0'], /--parallel must be a whole number/],
    [['http://x.example/tails/', '--timeout', 'soon'], /--timeout must be a positive number/],
    [['ftp://x.example/tails/'], /only http\(s\) mirrors/],
    [['/nonexistent/mirror/tree'], /no such directory/],
  ])('usage and operands: %j', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(message);
  });
});

describe('a local rsync tree', () => {
  function makeTree(name: string): string {
    const root = path.join(f.dir, name, 'tails');
    for (const image of f.release.images.filter((i) => i.version === f.release.current)) {
      const target = path.join(root, image.mirrorPath);
      mkdirSync(path.dirname(target), { recursive: true });
      try {
        linkSync(image.file, target);
      } catch {
        copyFileSync(image.file, target);
      }
      copyFileSync(image.signature, `${target}.sig`);
    }
    return root;
  }

  it('a correct tree passes quick and full checks', async () => {
    const root = makeTree('correct');
    const quick = await run([root, '--quick']);
    expect(quick.status).toBe(0);
    expect(rows(quick.stdout, `${root}/`)).toEqual([`${IMG} OK`, `${IMG}.sig OK`, `${ISO} OK`, `${ISO}.sig OK`]);
    const full = await run([root]);
    expect(full.status).toBe(0);
    expect(full.stdout).toContain('verified: description signature by the pinned key');
  });

  it('a truncated and a missing file are reported, exit 1', async () => {
    const root = makeTree('broken');
    const img = f.release.images.find((i) => i.version === f.release.current && i.type === 'img')!;
    const iso = f.release.images.find((i) => i.version === f.release.current && i.type === 'iso')!;
    const imgPath = path.join(root, img.mirrorPath);
    // Replace the hard link by a short copy (never write through the link into the release).
    const head = new Uint8Array(1 << 20);
    const fd = openSync(img.file, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    rmSync(imgPath);
    writeFileSync(imgPath, head);
    rmSync(path.join(root, iso.mirrorPath));
    const r = await run([root, '--quick']);
    expect(r.status).toBe(1);
    expect(rows(r.stdout, `${root}/`)).toEqual([
      `${IMG} WRONG-LENGTH`,
      `${IMG}.sig OK`,
      `${ISO} MISSING`,
      `${ISO}.sig OK`,
    ]);
  });
});
