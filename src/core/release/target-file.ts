/** The `target-files[]` entry shared by the image (IDF) and upgrade (UDF) descriptions. */
import { FieldReader, SHA256_HEX_RE, join, type Path } from './fields.js';
import type { TargetFile } from './types.js';

export function readTargetFiles(r: FieldReader, value: unknown, path: Path): TargetFile[] {
  return r.array(value, path, { min: 1, max: 64 }).map((item, i) => readTargetFile(r, item, join(path, i)));
}

function readTargetFile(r: FieldReader, value: unknown, path: Path): TargetFile {
  const obj = r.object(value, path);
  return {
    url: r.httpUrl(r.field(obj, 'url', path), join(path, 'url')),
    sha256: r.matching(
      r.field(obj, 'sha256', path),
      join(path, 'sha256'),
      SHA256_HEX_RE,
      '64 lowercase hex characters',
    ),
    size: r.integer(r.field(obj, 'size', path), join(path, 'size'), 1),
  };
}
