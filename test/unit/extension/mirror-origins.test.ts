import { describe, expect, it } from 'vitest';
import { mirrorOriginPatterns, mirrorOriginPatternsFromCache } from '../../../src/extension/mirror-origins.js';

describe('mirror origin patterns', () => {
  it('gives one pattern per enabled mirror host, without ports, sorted', () => {
    expect(
      mirrorOriginPatterns([
        { urlPrefix: 'https://b.example.org/tails/', weight: 5 },
        { urlPrefix: 'http://a.example.net:8080/pub/tails/', weight: 1 },
        { urlPrefix: 'https://b.example.org/other/', weight: 2 },
        { urlPrefix: 'https://disabled.example.com/tails/', weight: 0 },
      ]),
    ).toEqual(['http://a.example.net/*', 'https://b.example.org/*']);
  });

  it('reads the cached pool and ignores a corrupt cache', () => {
    const text = JSON.stringify({ mirrors: [{ url_prefix: 'https://m.example.org/tails/', weight: 1 }] });
    expect(mirrorOriginPatternsFromCache({ fetchedAt: 'x', source: 'y', text })).toEqual(['https://m.example.org/*']);
    expect(mirrorOriginPatternsFromCache({ text: '{"mirrors": 3}' })).toEqual([]);
    expect(mirrorOriginPatternsFromCache(undefined)).toEqual([]);
  });
});
