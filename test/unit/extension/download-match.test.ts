import { describe, expect, it } from 'vitest';
import {
  otherMirrorUrlFor,
  baseName,
  downloadIdOf,
  fileNameFromUrl,
  matchDownload,
  officialPrefixFor,
  sourcePrefixFor,
  trackedId,
} from '../../../src/extension/download-match.js';
import { pool, profile } from '../background/fixtures.js';

const IMG = 'stable/tails-amd64-7.2/tails-amd64-7.2.img';

describe('fileNameFromUrl', () => {
  it('takes the decoded last path segment of http(s) URLs only', () => {
    expect(fileNameFromUrl(`https://m.example/tails/${IMG}`)).toBe('tails-amd64-7.2.img');
    expect(fileNameFromUrl('https://m.example/a/tails-amd64-7.2%2Bx.iso?x=1#y')).toBe('tails-amd64-7.2+x.iso');
    expect(fileNameFromUrl('https://m.example/dir/')).toBeUndefined();
    expect(fileNameFromUrl('ftp://m.example/tails-amd64-7.2.img')).toBeUndefined();
    expect(fileNameFromUrl('not a url')).toBeUndefined();
    expect(fileNameFromUrl('https://m.example/%E0%A4%A')).toBeUndefined();
  });
});

describe('baseName', () => {
  it('handles POSIX and Windows paths', () => {
    expect(baseName('/home/u/Downloads/tails-amd64-7.2.img')).toBe('tails-amd64-7.2.img');
    expect(baseName('C:\\Users\\u\\Downloads\\tails-amd64-7.2 (1).img')).toBe('tails-amd64-7.2 (1).img');
  });
});

describe('officialPrefixFor', () => {
  it('accepts the site and its subdomains with the same scheme and port', () => {
    expect(officialPrefixFor('https://tails.net', 'https://tails.net/x')).toBe('https://tails.net/');
    expect(officialPrefixFor('https://tails.net', 'https://download.tails.net/tails/x.img')).toBe(
      'https://download.tails.net/',
    );
    expect(officialPrefixFor('https://tails.net', 'http://tails.net/x')).toBeUndefined();
    expect(officialPrefixFor('https://tails.net', 'https://eviltails.net/x')).toBeUndefined();
    expect(officialPrefixFor('https://tails.net', 'https://tails.net.evil.example/x')).toBeUndefined();
    expect(officialPrefixFor('https://tails.net', 'https://tails.net@evil.example/x')).toBeUndefined();
    expect(officialPrefixFor('https://tails.net', 'https://user@tails.net/x')).toBeUndefined();
    expect(officialPrefixFor('https://tails.net', 'https://tails.net:8443/x')).toBeUndefined();
  });

  it('gives an IP address no subdomains and keeps the port', () => {
    expect(officialPrefixFor('http://127.0.0.1:8470', 'http://127.0.0.1:8470/a.img')).toBe('http://127.0.0.1:8470/');
    expect(officialPrefixFor('http://127.0.0.1:8470', 'http://127.0.0.1:9999/a.img')).toBeUndefined();
    expect(officialPrefixFor('http://127.0.0.1:8470', 'http://x.127.0.0.1:8470/a.img')).toBeUndefined();
  });
});

describe('sourcePrefixFor', () => {
  it('prefers the mirror pool, then the official site', () => {
    expect(sourcePrefixFor(profile, pool, `https://mirror.example.org/tails/${IMG}`)).toBe(
      'https://mirror.example.org/tails/',
    );
    expect(sourcePrefixFor(profile, pool, `https://off.example.com/tails/${IMG}`)).toBe(
      'https://off.example.com/tails/',
    );
    expect(sourcePrefixFor(profile, pool, `https://download.tails.net/tails/${IMG}`)).toBe(
      'https://download.tails.net/',
    );
    expect(sourcePrefixFor(profile, pool, `https://mirror.example.org/other/${IMG}`)).toBeUndefined();
    expect(sourcePrefixFor(profile, [], `https://mirror.example.org/tails/${IMG}`)).toBeUndefined();
  });
});

describe('matchDownload', () => {
  it('tracks an image from a mirror, named after the URL', () => {
    const m = matchDownload(profile, pool, {
      url: `https://mirror.example.org/tails/${IMG}`,
      filename: '/home/u/Downloads/tails-amd64-7.2 (1).img',
    });
    expect(m).toEqual({
      fileName: 'tails-amd64-7.2.img',
      mirror: 'https://mirror.example.org/tails/',
      matchedUrl: `https://mirror.example.org/tails/${IMG}`,
      inPool: true,
    });
  });

  it('uses finalUrl after a redirect from a non-mirror', () => {
    const m = matchDownload(profile, pool, {
      url: 'https://redirector.example/latest',
      finalUrl: `http://plain.example.net/pub/tails/${IMG}`,
    });
    expect(m?.mirror).toBe('http://plain.example.net/pub/tails/');
    expect(m?.fileName).toBe('tails-amd64-7.2.img');
  });

  it('falls back to the local name when the URL does not carry it', () => {
    const m = matchDownload(profile, pool, {
      url: 'https://mirror.example.org/tails/get?id=7',
      filename: '/tmp/tails-amd64-7.2.iso',
    });
    expect(m?.fileName).toBe('tails-amd64-7.2.iso');
  });

  it('ignores other files; an image from any other server is tracked, marked as not in the pool', () => {
    expect(
      matchDownload(profile, pool, { url: 'https://mirror.example.org/tails/stable/tails-amd64-7.2.img.sig' }),
    ).toBeUndefined();
    expect(matchDownload(profile, pool, { url: 'https://mirror.example.org/tails/debian-12.iso' })).toBeUndefined();
    expect(
      matchDownload(profile, pool, { url: 'https://unknown.example/debian-12.iso', filename: '/tmp/debian-12.iso' }),
    ).toBeUndefined();
    expect(matchDownload(profile, pool, { url: `https://unknown.example/tails/${IMG}` })).toEqual({
      fileName: 'tails-amd64-7.2.img',
      mirror: 'https://unknown.example/',
      matchedUrl: `https://unknown.example/tails/${IMG}`,
      inPool: false,
    });
    expect(
      matchDownload(profile, pool, { url: 'https://unknown.example/get?id=1', filename: '/tmp/tails-amd64-7.2.img' })
        ?.inPool,
    ).toBe(false);
    // Credentials in a URL never name a server, not even one outside the pool.
    expect(matchDownload(profile, pool, { url: `https://mirror.example.org@evil.example/${IMG}` })).toBeUndefined();
    expect(matchDownload(profile, pool, { url: `ftp://unknown.example/${IMG}` })).toBeUndefined();
  });
});

describe('otherMirrorUrlFor', () => {
  const from = {
    url: `https://mirror.example.org/tails/${IMG}`,
    finalUrl: `https://mirror.example.org/tails/${IMG}`,
    mirror: 'https://mirror.example.org/tails/',
  };
  it('keeps the path below the prefix on another weighted mirror, never the one used', () => {
    expect(otherMirrorUrlFor(from, pool)).toBe(`http://plain.example.net/pub/tails/${IMG}`);
    expect(otherMirrorUrlFor({ ...from, url: `https://redir.example/x`, finalUrl: from.url }, pool)).toBe(
      `http://plain.example.net/pub/tails/${IMG}`,
    );
  });
  it('gives nothing outside the pool or with no other mirror', () => {
    expect(
      otherMirrorUrlFor(
        {
          url: `https://unknown.example/${IMG}`,
          finalUrl: `https://unknown.example/${IMG}`,
          mirror: 'https://unknown.example/',
        },
        pool,
      ),
    ).toBeUndefined();
    expect(otherMirrorUrlFor(from, [pool[0]!])).toBeUndefined();
  });
});

describe('tracked ids', () => {
  it('round-trips and rejects other strings', () => {
    expect(trackedId(42)).toBe('dl-42');
    expect(downloadIdOf('dl-42')).toBe(42);
    expect(downloadIdOf('dl-')).toBeUndefined();
    expect(downloadIdOf('dl-4x')).toBeUndefined();
    expect(downloadIdOf('x-4')).toBeUndefined();
  });
});
