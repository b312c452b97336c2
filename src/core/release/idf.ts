/**
 * Tails image description file (IDF), `install/v2/<product>/<arch>/<channel>/latest.json`:
 *
 *   { "product-name": "Tails", "build_target": "amd64", "channel": "stable",
 *     "installations": [{ "version": "4.19", "installation-paths": [
 *        { "type": "img", "target-files": [{ "url", "sha256", "size" }] } ] }] }
 *
 * Note the real file's `build_target` (underscore) beside hyphenated names.
 */
import { LIMITS } from '../net/types.js';
import { isValidVersion } from '../version.js';
import { FieldReader, decodeCapped, join, parseJsonText, type Path } from './fields.js';
import { readTargetFiles } from './target-file.js';
import type { ImageDescription, Installation, InstallationPath } from './types.js';

const r: FieldReader = new FieldReader('descriptor-malformed');

/** Parse and validate; throws `descriptor-malformed` (or `input-too-large`) with the field path. */
export function parseImageDescription(input: Uint8Array | string): ImageDescription {
  const text = decodeCapped(input, LIMITS.description, 'descriptor-malformed', 'image description');
  return readImageDescription(parseJsonText(text, 'descriptor-malformed', 'image description'));
}

/** Validate an already-decoded JSON value. */
export function readImageDescription(json: unknown): ImageDescription {
  const obj = r.object(json, '');
  return {
    product: r.string(r.field(obj, 'product-name', ''), 'product-name', { max: 128 }),
    buildTarget: r.string(r.field(obj, 'build_target', ''), 'build_target', { max: 64 }),
    channel: r.string(r.field(obj, 'channel', ''), 'channel', { max: 64 }),
    installations: r
      .array(r.field(obj, 'installations', ''), 'installations', { min: 1, max: 64 })
      .map((item, i) => readInstallation(item, join('installations', i))),
  };
}

function readInstallation(value: unknown, path: Path): Installation {
  const obj = r.object(value, path);
  const versionPath = join(path, 'version');
  const version = r.string(r.field(obj, 'version', path), versionPath, { max: 64 });
  if (!isValidVersion(version)) r.fail(versionPath, `not a release version: ${JSON.stringify(version)}`);
  const pathsPath = join(path, 'installation-paths');
  const paths = r
    .array(r.field(obj, 'installation-paths', path), pathsPath, { min: 1, max: 16 })
    .map((item, i) => readInstallationPath(item, join(pathsPath, i)));
  return { version, paths };
}

function readInstallationPath(value: unknown, path: Path): InstallationPath {
  const obj = r.object(value, path);
  return {
    type: r.oneOf(r.field(obj, 'type', path), join(path, 'type'), ['iso', 'img'] as const),
    files: readTargetFiles(r, r.field(obj, 'target-files', path), join(path, 'target-files')),
  };
}
