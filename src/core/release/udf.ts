/**
 * Tails upgrade description file (UDF), `upgrade/v2/<product>/<version>/<arch>/<channel>/upgrades.yml`:
 *
 *   build-target: amd64
 *   channel: stable
 *   initial-install-version: '4.18'
 *   product-name: Tails
 *   upgrades:                       # absent when there is nothing to upgrade to
 *   - details-url: https://…
 *     type: major
 *     upgrade-paths:
 *     - type: full | incremental
 *       target-files: [{ url, sha256, size }]
 *     version: '4.19'
 *
 * YAML is parsed strictly: one document, YAML 1.2 core schema (no custom tags, no merge
 * keys, no timestamps or binary), string keys only, no duplicate keys, aliases capped so an
 * "anchor bomb" cannot expand. Anything the parser warns about is an error too.
 */
import { parseDocument } from 'yaml';
import { IsoVerifyError } from '../errors.js';
import { LIMITS } from '../net/types.js';
import { isValidVersion } from '../version.js';
import { FieldReader, decodeCapped, join, type Path } from './fields.js';
import { readTargetFiles } from './target-file.js';
import type { Upgrade, UpgradeDescription, UpgradePath } from './types.js';

const CODE = 'upgrade-description-malformed';
const r: FieldReader = new FieldReader(CODE);

/** Real UDFs use no aliases; a few are tolerated, an expansion attack is not. */
const MAX_ALIAS_COUNT = 50;

/** Parse and validate; throws `upgrade-description-malformed` (or `input-too-large`). */
export function parseUpgradeDescription(input: Uint8Array | string): UpgradeDescription {
  const text = decodeCapped(input, LIMITS.upgradeDescription, CODE, 'upgrade description');
  return readUpgradeDescription(parseStrictYaml(text));
}

/** Strict YAML → plain JSON-like value, or a typed error. */
export function parseStrictYaml(text: string): unknown {
  let value: unknown;
  try {
    const doc = parseDocument(text, {
      version: '1.2',
      schema: 'core',
      merge: false,
      strict: true,
      uniqueKeys: true,
      stringKeys: true,
      prettyErrors: false,
    });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw new IsoVerifyError(CODE, `YAML: ${problem.message.slice(0, 160)}`);
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof IsoVerifyError) throw e;
    throw new IsoVerifyError(CODE, `YAML: ${e instanceof Error ? e.message.slice(0, 160) : 'parse error'}`);
  }
  assertPlain(value, '', 0);
  return value;
}

/** Only JSON-shaped data may come out of the YAML layer. */
function assertPlain(value: unknown, path: Path, depth: number): void {
  if (depth > 32) r.fail(path, 'nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) r.fail(path, 'non-finite number');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlain(item, join(path, i), depth + 1));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      // YAML 1.1 parsers would merge `<<` keys; refusing them keeps every parser reading the same data.
      if (k === '<<') r.fail(join(path, k), 'merge keys are not allowed');
      assertPlain(v, join(path, k), depth + 1);
    }
    return;
  }
  r.fail(path, `unsupported YAML value (${Object.prototype.toString.call(value)})`);
}

/** Validate an already-decoded value. */
export function readUpgradeDescription(json: unknown): UpgradeDescription {
  const obj = r.object(json, '');
  const initialInstallVersion = readVersion(r.field(obj, 'initial-install-version', ''), 'initial-install-version');
  const upgradesValue = r.optionalField(obj, 'upgrades');
  return {
    product: r.string(r.field(obj, 'product-name', ''), 'product-name', { max: 128 }),
    buildTarget: r.string(r.field(obj, 'build-target', ''), 'build-target', { max: 64 }),
    channel: r.string(r.field(obj, 'channel', ''), 'channel', { max: 64 }),
    initialInstallVersion,
    upgrades:
      upgradesValue === undefined
        ? []
        : r.array(upgradesValue, 'upgrades', { max: 256 }).map((item, i) => readUpgrade(item, join('upgrades', i))),
  };
}

function readVersion(value: unknown, path: Path): string {
  // A YAML number (4.20 unquoted reads as 4.2) is rejected here as "expected a string".
  const version = r.string(value, path, { max: 64 });
  if (!isValidVersion(version)) r.fail(path, `not a release version: ${JSON.stringify(version)}`);
  return version;
}

function readUpgrade(value: unknown, path: Path): Upgrade {
  const obj = r.object(value, path);
  const pathsPath = join(path, 'upgrade-paths');
  return {
    version: readVersion(r.field(obj, 'version', path), join(path, 'version')),
    type: r.string(r.field(obj, 'type', path), join(path, 'type'), { max: 64 }),
    detailsUrl: r.httpUrl(r.field(obj, 'details-url', path), join(path, 'details-url')),
    paths: r
      .array(r.field(obj, 'upgrade-paths', path), pathsPath, { min: 1, max: 64 })
      .map((item, i) => readUpgradePath(item, join(pathsPath, i))),
  };
}

function readUpgradePath(value: unknown, path: Path): UpgradePath {
  const obj = r.object(value, path);
  return {
    type: r.oneOf(r.field(obj, 'type', path), join(path, 'type'), ['full', 'incremental'] as const),
    files: readTargetFiles(r, r.field(obj, 'target-files', path), join(path, 'target-files')),
  };
}
