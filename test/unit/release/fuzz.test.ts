/** Random corruption of real inputs: parsers may reject, but only with a typed error. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { parseImageDescription } from '../../../src/core/release/idf.js';
import { parseMirrorPool } from '../../../src/core/release/mirrors.js';
import { parseUpgradeDescription } from '../../../src/core/release/udf.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

const FIXTURES = TAILS_2021_FIXTURES;

function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function corrupt(input: Uint8Array, random: () => number): Uint8Array {
  const out = Array.from(input);
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * out.length);
    const op = random();
    if (op < 0.4) out[at] = Math.floor(random() * 256);
    else if (op < 0.6) out.splice(at, 1 + Math.floor(random() * 20));
    else if (op < 0.8)
      out.splice(
        at,
        0,
        ...'{["&*!:- \n'
          .split('')
          .map((c) => c.charCodeAt(0))
          .slice(0, 1 + Math.floor(random() * 9)),
      );
    else out.length = at;
  }
  return new Uint8Array(out);
}

function fuzz(name: string, input: Uint8Array, parse: (b: Uint8Array) => unknown, rounds = 400): void {
  it(`${name}: ${rounds} corrupted variants never crash`, () => {
    const random = prng(0x9e3779b9);
    let accepted = 0;
    for (let i = 0; i < rounds; i++) {
      const variant = corrupt(input, random);
      try {
        parse(variant);
        accepted++;
      } catch (e) {
        expect(e, new TextDecoder().decode(variant).slice(0, 200)).toBeInstanceOf(IsoVerifyError);
      }
    }
    // Some corruptions hit unimportant bytes (whitespace, unknown fields); most do not.
    expect(accepted).toBeLessThan(rounds);
  });
}

describe('parser fuzzing', () => {
  fuzz('latest.json', new Uint8Array(readFileSync(`${FIXTURES}/latest.json`)), parseImageDescription);
  fuzz(
    'upgrades.yml',
    new Uint8Array(readFileSync(`${FIXTURES}/upgrade/4.14/alpha/upgrades.yml`)),
    parseUpgradeDescription,
  );
  fuzz(
    'mirrors.json',
    new TextEncoder().encode(
      JSON.stringify({
        mirrors: [
          { url_prefix: 'https://m.example/tails/', weight: 5 },
          { url_prefix: 'http://n.example/t/', weight: 0 },
        ],
      }),
    ),
    parseMirrorPool,
  );
});
