import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import {
  findMirror,
  mirrorLayoutOf,
  mirrorPathOf,
  mirrorUrlFor,
  parseMirrorPool,
  pickMirror,
} from '../../../src/core/release/mirrors.js';

const POOL_JSON = JSON.stringify({
  version: 1,
  mirrors: [
    {
      url_prefix: 'https://mirror.example.org/tails/',
      weight: 5,
      email: 'ops@example.org',
      rsync_url_prefix: 'rsync://x/',
    },
    { url_prefix: 'http://plain.example.net/pub/tails/', weight: 1 },
    { url_prefix: 'https://off.example.com/tails/', weight: 0 },
    { url_prefix: 'https://Mirror.Example.org:443/deep/../tails/nested/', weight: 2 },
  ],
});

function expectError(input: string, detail?: RegExp): void {
  let caught: unknown;
  try {
    parseMirrorPool(input);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IsoVerifyError);
  expect((caught as IsoVerifyError).code).toMatch(/^(mirror-pool-malformed|input-too-large)$/);
  if (detail) expect((caught as IsoVerifyError).detail).toMatch(detail);
}

describe('parseMirrorPool', () => {
  it('reads url_prefix and weight, canonicalising prefixes', () => {
    expect(parseMirrorPool(new TextEncoder().encode(POOL_JSON))).toEqual([
      { urlPrefix: 'https://mirror.example.org/tails/', weight: 5 },
      { urlPrefix: 'http://plain.example.net/pub/tails/', weight: 1 },
      { urlPrefix: 'https://off.example.com/tails/', weight: 0 },
      { urlPrefix: 'https://mirror.example.org/tails/nested/', weight: 2 },
    ]);
  });
  it('rejects malformed pools with the field path', () => {
    expectError('{"mirrors": [', /not valid JSON/);
    expectError('[]', /expected an object/);
    expectError('{}', /^mirrors: missing/);
    expectError(
      '{"mirrors": [{"url_prefix": "https://m.example/tails", "weight": 1}]}',
      /^mirrors\[0\]\.url_prefix: must end with/,
    );
    expectError('{"mirrors": [{"url_prefix": "ftp://m.example/tails/", "weight": 1}]}', /url_prefix: not an http/);
    expectError('{"mirrors": [{"url_prefix": "/tails/", "weight": 1}]}', /url_prefix: not an absolute URL/);
    expectError('{"mirrors": [{"url_prefix": "https://u:p@m.example/tails/", "weight": 1}]}', /credentials/);
    expectError('{"mirrors": [{"url_prefix": "https://m.example/tails/?a=1", "weight": 1}]}', /query/);
    expectError('{"mirrors": [{"url_prefix": "https://m.example/tails/", "weight": -1}]}', /^mirrors\[0\]\.weight/);
    expectError('{"mirrors": [{"url_prefix": "https://m.example/tails/", "weight": 1.5}]}', /weight/);
    expectError('{"mirrors": [{"url_prefix": "https://m.example/tails/", "weight": "5"}]}', /weight/);
    expectError('{"mirrors": [{"url_prefix": "https://m.example/tails/"}]}', /weight: missing/);
    expectError(`{"mirrors": [], "pad": "${'x'.repeat(1 << 20)}"}`);
  });
});

describe('mirror URL helpers', () => {
  const official = 'http://dl.amnesia.boum.org/tails/stable/tails-amd64-4.19/tails-amd64-4.19.img';

  const tails = mirrorLayoutOf({ mirrorTreePath: '/tails/', channel: 'stable' });

  it("mirrorPathOf takes the part after the profile's tree path (/tails/)", () => {
    expect(mirrorPathOf(official, tails)).toBe('stable/tails-amd64-4.19/tails-amd64-4.19.img');
    expect(
      mirrorPathOf('http://dl.amnesia.boum.org/tails/alpha/tails-amd64-4.20~rc1/tails-amd64-4.20~rc1.iso', tails),
    ).toBe('alpha/tails-amd64-4.20~rc1/tails-amd64-4.20~rc1.iso');
    expect(mirrorPathOf('https://example.org/other/file.img', tails)).toBeUndefined();
    expect(mirrorPathOf('not a url', tails)).toBeUndefined();
  });

  it('without a tree path, the tree starts at the channel segment (a derivative needs no /tails/)', () => {
    const derivative = mirrorLayoutOf({ channel: 'stable' });
    expect(mirrorPathOf('https://dl.example.org/pub/amber/stable/amber-2.0/amber-2.0.img', derivative)).toBe(
      'stable/amber-2.0/amber-2.0.img',
    );
    expect(mirrorPathOf(official, derivative)).toBe('stable/tails-amd64-4.19/tails-amd64-4.19.img');
    expect(
      mirrorPathOf('https://dl.example.org/pub/amber/testing/amber-2.1/amber-2.1.img', derivative),
    ).toBeUndefined();
    expect(mirrorPathOf('https://dl.example.org/pub/amber/stable/', derivative)).toBeUndefined();
    const flat = mirrorLayoutOf({ mirrorTreePath: '/releases/', channel: 'stable' });
    expect(mirrorPathOf('https://dl.example.org/releases/2.0/amber-2.0.img', flat)).toBe('2.0/amber-2.0.img');
  });

  it('mirrorUrlFor joins prefix and path', () => {
    expect(mirrorUrlFor('https://mirror.example.org/tails/', official, tails)).toBe(
      'https://mirror.example.org/tails/stable/tails-amd64-4.19/tails-amd64-4.19.img',
    );
    expect(mirrorUrlFor('https://mirror.example.org/tails', official, tails)).toBe(
      'https://mirror.example.org/tails/stable/tails-amd64-4.19/tails-amd64-4.19.img',
    );
    expect(mirrorUrlFor('https://mirror.example.org/tails/', 'https://x.example/y', tails)).toBeUndefined();
  });

  const pool = parseMirrorPool(POOL_JSON);

  it('findMirror matches scheme, host and path prefix exactly', () => {
    expect(findMirror(pool, 'https://mirror.example.org/tails/stable/x.img')?.urlPrefix).toBe(
      'https://mirror.example.org/tails/',
    );
    expect(findMirror(pool, 'https://MIRROR.example.org:443/tails/stable/x.img')?.urlPrefix).toBe(
      'https://mirror.example.org/tails/',
    );
    // Longest prefix wins.
    expect(findMirror(pool, 'https://mirror.example.org/tails/nested/x.img')?.urlPrefix).toBe(
      'https://mirror.example.org/tails/nested/',
    );
    // Disabled mirrors are still mirrors.
    expect(findMirror(pool, 'https://off.example.com/tails/stable/x.img')?.weight).toBe(0);
    expect(findMirror(pool, 'http://plain.example.net/pub/tails/x.iso')?.urlPrefix).toBe(
      'http://plain.example.net/pub/tails/',
    );
  });
  it('findMirror refuses look-alikes and tricks', () => {
    const tricks = [
      'http://mirror.example.org/tails/stable/x.img', // other scheme
      'https://mirror.example.org.evil.example/tails/x.img', // suffix host
      'https://evilmirror.example.org/tails/x.img',
      'https://mirror.example.org@evil.example/tails/x.img', // userinfo
      'https://user:pw@mirror.example.org/tails/x.img', // credentials on the real host
      'https://mirror.example.org:8443/tails/x.img', // other port
      'https://mirror.example.org/tailsevil/x.img', // path prefix without the slash
      'https://mirror.example.org/tails/../evil/x.img', // dot segments canonicalise away
      'https://mirror.example.org/tails/%2e%2e/evil/x.img',
      'https://mirror.example.org/TAILS/x.img',
      'ftp://mirror.example.org/tails/x.img',
      'not a url',
    ];
    for (const url of tricks) expect(findMirror(pool, url), url).toBeUndefined();
  });
  it('pickMirror is weighted, skips disabled and excluded mirrors', () => {
    const counts = new Map<string, number>();
    const steps = 1000;
    for (let i = 0; i < steps; i++) {
      const m = pickMirror(pool, { random: () => i / steps })!;
      counts.set(m.urlPrefix, (counts.get(m.urlPrefix) ?? 0) + 1);
    }
    // Weights 5 : 1 : 0 : 2 over a uniform sweep of 1000 tickets.
    expect(counts.get('https://mirror.example.org/tails/')).toBe(625);
    expect(counts.get('http://plain.example.net/pub/tails/')).toBe(125);
    expect(counts.get('https://mirror.example.org/tails/nested/')).toBe(250);
    expect(counts.has('https://off.example.com/tails/')).toBe(false);
    expect(
      pickMirror(pool, {
        exclude: ['https://mirror.example.org/tails/', 'https://mirror.example.org/tails/nested/'],
        random: () => 0.99,
      })?.urlPrefix,
    ).toBe('http://plain.example.net/pub/tails/');
    expect(pickMirror(pool, { exclude: pool.map((m) => m.urlPrefix) })).toBeUndefined();
    expect(pickMirror([{ urlPrefix: 'https://a.example/tails/', weight: 0 }])).toBeUndefined();
    expect(pickMirror(pool, { random: () => 1 })).toBeDefined(); // out-of-range random is clamped
  });
});
