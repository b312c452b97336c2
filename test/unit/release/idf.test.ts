import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { parseImageDescription } from '../../../src/core/release/idf.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

const FIXTURES = TAILS_2021_FIXTURES;
const realBytes = new Uint8Array(readFileSync(`${FIXTURES}/latest.json`));
const real = JSON.parse(readFileSync(`${FIXTURES}/latest.json`, 'utf8')) as Record<string, unknown>;

function expectError(input: Uint8Array | string, code: string, detailPart?: string | RegExp): IsoVerifyError {
  let caught: unknown;
  try {
    parseImageDescription(input);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IsoVerifyError);
  const err = caught as IsoVerifyError;
  expect(err.code).toBe(code);
  if (detailPart !== undefined) expect(err.detail).toMatch(detailPart);
  return err;
}

/** A deep copy of the real file with one change applied. */
function mutated(change: (doc: any) => void): string {
  const doc = structuredClone(real);
  change(doc);
  return JSON.stringify(doc);
}

describe('parseImageDescription — the real Tails 4.19 latest.json', () => {
  it('reads product, build target, channel, version and both images', () => {
    const idf = parseImageDescription(realBytes);
    expect(idf.product).toBe('Tails');
    expect(idf.buildTarget).toBe('amd64');
    expect(idf.channel).toBe('stable');
    expect(idf.installations).toHaveLength(1);
    const inst = idf.installations[0]!;
    expect(inst.version).toBe('4.19');
    const byType = Object.fromEntries(inst.paths.map((p) => [p.type, p.files]));
    expect(byType.iso).toEqual([
      {
        url: 'http://dl.amnesia.boum.org/tails/stable/tails-amd64-4.19/tails-amd64-4.19.iso',
        sha256: 'd61fa1d0204c99023c0d0d8a08b60ec51cbb8ab03abf2f4982c45abc50a00fe4',
        size: 1176215552,
      },
    ]);
    expect(byType.img?.[0]?.sha256).toBe('e5bdb3529d9a26d41d7400a3dd3583837b118bdd4207e05251e4454482d86cdb');
    expect(byType.img?.[0]?.size).toBe(1185939456);
  });

  it('accepts text input and ignores unknown extra fields', () => {
    const idf = parseImageDescription(
      mutated((d) => {
        d.future = { anything: [1, 2] };
        d.installations[0]['release-notes'] = 'x';
        d.installations[0]['installation-paths'][0]['target-files'][0].mirror = true;
      }),
    );
    expect(idf.installations[0]?.paths[0]?.files[0]?.size).toBe(1185939456);
  });
});

describe('parseImageDescription — malformed input never crashes', () => {
  it('rejects truncated JSON', () => {
    expectError(realBytes.subarray(0, realBytes.length - 20), 'descriptor-malformed', /not valid JSON/);
  });
  it('rejects garbage bytes and invalid UTF-8', () => {
    expectError(new Uint8Array([0xff, 0xfe, 0x00, 0x01]), 'descriptor-malformed', /UTF-8/);
    expectError('<html>Not found</html>', 'descriptor-malformed', /not valid JSON/);
    expectError('', 'descriptor-malformed');
  });
  it('rejects oversized input before parsing', () => {
    expectError(new Uint8Array((1 << 20) + 1).fill(0x20), 'input-too-large');
    expectError(' '.repeat((1 << 20) + 1), 'input-too-large');
  });
  it('rejects non-object top levels', () => {
    for (const text of ['null', '[]', '42', '"Tails"', 'true'])
      expectError(text, 'descriptor-malformed', /expected an object/);
  });
  it('names the field path of a missing field', () => {
    expectError(
      mutated((d) => delete d['product-name']),
      'descriptor-malformed',
      /^product-name: missing/,
    );
    expectError(
      mutated((d) => delete d.build_target),
      'descriptor-malformed',
      /^build_target: missing/,
    );
    expectError(
      mutated((d) => delete d.installations[0]['installation-paths'][1]['target-files'][0].sha256),
      'descriptor-malformed',
      /^installations\[0\]\.installation-paths\[1\]\.target-files\[0\]\.sha256: missing/,
    );
  });
  it('does not take hyphen/underscore look-alikes for the real field names', () => {
    expectError(
      mutated((d) => {
        d['build-target'] = d.build_target;
        delete d.build_target;
      }),
      'descriptor-malformed',
      /build_target: missing/,
    );
  });
  it('rejects wrong types', () => {
    expectError(
      mutated((d) => (d.installations = {})),
      'descriptor-malformed',
      /installations: expected an array/,
    );
    expectError(
      mutated((d) => (d.installations[0].version = 4.19)),
      'descriptor-malformed',
      /version: expected a string/,
    );
    expectError(
      mutated((d) => (d.installations[0]['installation-paths'][0]['target-files'][0].size = '1185939456')),
      'descriptor-malformed',
      /size: expected an integer/,
    );
    expectError(
      mutated((d) => (d.installations = [])),
      'descriptor-malformed',
      /at least 1/,
    );
  });
  it('rejects negative, zero, float and huge sizes', () => {
    for (const size of [-1, 0, 1.5, 2 ** 53, 1e300]) {
      expectError(
        mutated((d) => (d.installations[0]['installation-paths'][0]['target-files'][0].size = size)),
        'descriptor-malformed',
        /target-files\[0\]\.size/,
      );
    }
  });
  it('rejects bad hex: uppercase, short, long, non-hex', () => {
    const good = 'e5bdb3529d9a26d41d7400a3dd3583837b118bdd4207e05251e4454482d86cdb';
    for (const sha of [good.toUpperCase(), good.slice(1), `${good}0`, `${good.slice(0, 63)}g`, '']) {
      expectError(
        mutated((d) => (d.installations[0]['installation-paths'][0]['target-files'][0].sha256 = sha)),
        'descriptor-malformed',
        /sha256/,
      );
    }
  });
  it('rejects unknown image types, bad versions and non-http URLs', () => {
    expectError(
      mutated((d) => (d.installations[0]['installation-paths'][0].type = 'exe')),
      'descriptor-malformed',
      /type: expected one of iso, img/,
    );
    expectError(
      mutated((d) => (d.installations[0].version = '../4.19')),
      'descriptor-malformed',
      /not a release version/,
    );
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'tails-amd64-4.19.img',
      'https://user:pw@host/x.img',
    ]) {
      expectError(
        mutated((d) => (d.installations[0]['installation-paths'][0]['target-files'][0].url = url)),
        'descriptor-malformed',
        /url/,
      );
    }
  });
  it('does not let __proto__ stand in for a field', () => {
    expectError(
      '{"__proto__":{"product-name":"Tails"},"build_target":"amd64","channel":"stable","installations":[]}',
      'descriptor-malformed',
      /product-name: missing/,
    );
  });
  it('rejects deeply nested garbage without a stack overflow crash', () => {
    expectError('['.repeat(100_000), 'descriptor-malformed');
  });
});
