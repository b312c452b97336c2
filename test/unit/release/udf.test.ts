import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { parseImageDescription } from '../../../src/core/release/idf.js';
import { parseUpgradeDescription } from '../../../src/core/release/udf.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

const FIXTURES = TAILS_2021_FIXTURES;
const UPGRADE_DIR = `${FIXTURES}/upgrade`;

const udfFiles: { version: string; channel: string; path: string }[] = [];
for (const version of readdirSync(UPGRADE_DIR).sort()) {
  for (const channel of readdirSync(`${UPGRADE_DIR}/${version}`).sort()) {
    udfFiles.push({ version, channel, path: `${UPGRADE_DIR}/${version}/${channel}/upgrades.yml` });
  }
}

function expectError(input: Uint8Array | string, code: string, detailPart?: RegExp): void {
  let caught: unknown;
  try {
    parseUpgradeDescription(input);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IsoVerifyError);
  expect((caught as IsoVerifyError).code).toBe(code);
  if (detailPart) expect((caught as IsoVerifyError).detail).toMatch(detailPart);
}

const SAMPLE = readFileSync(`${UPGRADE_DIR}/4.18/stable/upgrades.yml`, 'utf8');

describe('parseUpgradeDescription — all 18 real Tails UDFs', () => {
  it('finds 18 files', () => {
    expect(udfFiles).toHaveLength(18);
  });

  for (const f of udfFiles) {
    it(`parses ${f.version}/${f.channel}`, () => {
      const udf = parseUpgradeDescription(new Uint8Array(readFileSync(f.path)));
      expect(udf.product).toBe('Tails');
      expect(udf.buildTarget).toBe('amd64');
      expect(udf.channel).toBe(f.channel);
      expect(udf.initialInstallVersion).toBe(f.version);
      for (const u of udf.upgrades) {
        expect(u.detailsUrl).toMatch(/^https:\/\/tails\.boum\.org\//);
        expect(u.paths.map((p) => p.type).sort()).toEqual(['full', 'incremental']);
        for (const p of u.paths) for (const file of p.files) expect(file.size).toBeGreaterThan(0);
      }
    });
  }

  it('4.18/stable lists the 4.19 ISO with the same sha256 and size as latest.json', () => {
    const udf = parseUpgradeDescription(SAMPLE);
    expect(udf.upgrades).toHaveLength(1);
    const upgrade = udf.upgrades[0]!;
    expect(upgrade.version).toBe('4.19');
    expect(upgrade.type).toBe('major');
    const full = upgrade.paths.find((p) => p.type === 'full')!.files[0]!;
    const idf = parseImageDescription(new Uint8Array(readFileSync(`${FIXTURES}/latest.json`)));
    const iso = idf.installations[0]!.paths.find((p) => p.type === 'iso')!.files[0]!;
    expect(full.sha256).toBe('d61fa1d0204c99023c0d0d8a08b60ec51cbb8ab03abf2f4982c45abc50a00fe4');
    expect(full.size).toBe(1176215552);
    expect(full).toEqual(iso);
  });

  it('reads an alpha "~rc" version as a string', () => {
    const udf = parseUpgradeDescription(readFileSync(`${UPGRADE_DIR}/4.14/alpha/upgrades.yml`, 'utf8'));
    expect(udf.upgrades[0]?.version).toBe('4.20~rc1');
  });

  it('treats files without upgrades as "nothing to upgrade to"', () => {
    const udf = parseUpgradeDescription(readFileSync(`${UPGRADE_DIR}/4.22/stable/upgrades.yml`, 'utf8'));
    expect(udf.upgrades).toEqual([]);
  });
});

describe('parseUpgradeDescription — hostile and malformed YAML', () => {
  it('rejects truncated and garbage YAML', () => {
    expectError(SAMPLE.slice(0, SAMPLE.indexOf('sha256:') + 20), 'upgrade-description-malformed');
    expectError('{{{{ ::: ]]]', 'upgrade-description-malformed', /YAML/);
    expectError(new Uint8Array([0xc3, 0x28]), 'upgrade-description-malformed', /UTF-8/);
    expectError('', 'upgrade-description-malformed');
    expectError('just a string', 'upgrade-description-malformed', /expected an object/);
  });
  it('rejects oversized input', () => {
    expectError(`${SAMPLE}#${'x'.repeat(1 << 20)}`, 'input-too-large');
  });
  it('rejects duplicate keys (two parsers must not read two different files)', () => {
    expectError(
      SAMPLE.replace('channel: stable', 'channel: stable\nchannel: alpha'),
      'upgrade-description-malformed',
      /YAML/,
    );
  });
  it('rejects an anchor/alias expansion bomb', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    expectError(bomb, 'upgrade-description-malformed', /alias/i);
  });
  it('rejects non-plain structures: custom tags, binary, sets, merge keys, multiple documents', () => {
    expectError(
      SAMPLE.replace('product-name: Tails', 'product-name: !!binary VGFpbHM='),
      'upgrade-description-malformed',
    );
    expectError(SAMPLE.replace('product-name: Tails', 'product-name: !custom Tails'), 'upgrade-description-malformed');
    expectError(`${SAMPLE}\nextra: !!set {a, b}`, 'upgrade-description-malformed');
    expectError(
      `base: &base {x: 1}\nmerged:\n  <<: *base\n${SAMPLE.replace('---\n', '')}`,
      'upgrade-description-malformed',
    );
    expectError(`${SAMPLE}\n---\nproduct-name: Other\n`, 'upgrade-description-malformed');
    expectError(`? [complex, key]\n: value\n${SAMPLE.replace('---\n', '')}`, 'upgrade-description-malformed');
  });
  it('rejects unquoted numeric versions (4.20 would read as 4.2)', () => {
    expectError(
      SAMPLE.replace("initial-install-version: '4.18'", 'initial-install-version: 4.20'),
      'upgrade-description-malformed',
      /initial-install-version: expected a string/,
    );
  });
  it('rejects wrong types, bad sizes and bad hex with the field path', () => {
    expectError(
      SAMPLE.replace('size: 1176215552', 'size: -1176215552'),
      'upgrade-description-malformed',
      /^upgrades\[0\]\.upgrade-paths\[0\]\.target-files\[0\]\.size/,
    );
    expectError(SAMPLE.replace('size: 1176215552', 'size: 1176215552.5'), 'upgrade-description-malformed', /size/);
    expectError(
      SAMPLE.replace('size: 1176215552', 'size: 99999999999999999999'),
      'upgrade-description-malformed',
      /size/,
    );
    expectError(SAMPLE.replace('size: 1176215552', 'size: .inf'), 'upgrade-description-malformed', /size|non-finite/);
    expectError(SAMPLE.replace('sha256: d61f', 'sha256: D61F'), 'upgrade-description-malformed', /sha256/);
    expectError(
      SAMPLE.replace('type: full', 'type: partial'),
      'upgrade-description-malformed',
      /upgrade-paths\[0\]\.type/,
    );
    expectError(
      SAMPLE.replace('build-target: amd64', 'build-target: [amd64]'),
      'upgrade-description-malformed',
      /build-target/,
    );
    expectError(
      SAMPLE.replace('- details-url: https://tails.boum.org/news/version_4.19/', '- details-url: 12'),
      'upgrade-description-malformed',
      /details-url/,
    );
    expectError(SAMPLE.replace(/build-target: amd64\n/, ''), 'upgrade-description-malformed', /^build-target: missing/);
  });
});
