/** Locate the file a user has in a parsed image description. */
import { urlBasename } from '../release/fields.js';
import type { ImageDescription } from '../release/types.js';
import type { ExpectedFile, WrongReleaseReason } from '../verdict.js';
import { compareVersions, maxVersion } from '../version.js';
import type { ImageFileName } from './file-name.js';

export type Lookup =
  { found: true; expected: ExpectedFile } | { found: false; reason: WrongReleaseReason; current?: ExpectedFile };

/** The newest version the description offers (the release). */
export function releaseVersion(description: ImageDescription): string {
  // The parser guarantees at least one installation with a valid version.
  return maxVersion(description.installations.map((i) => i.version))!;
}

/**
 * The entry whose URL's last segment is exactly `fileName`, of the type and version the name
 * says. Otherwise, why not: the name is for an older or another version, or the release has no
 * image of that type. `current` is what the release offers for that type instead.
 */
export function lookupFile(description: ImageDescription, fileName: string, parsed: ImageFileName): Lookup {
  const toExpected = (version: string, url: string, size: number, sha256: string): ExpectedFile => ({
    product: description.product,
    version,
    type: parsed.type,
    name: urlBasename(url) ?? fileName,
    url,
    size,
    sha256,
  });

  for (const inst of description.installations) {
    if (compareVersions(inst.version, parsed.version) !== 0) continue;
    for (const path of inst.paths) {
      if (path.type !== parsed.type) continue;
      for (const f of path.files) {
        if (urlBasename(f.url) === fileName)
          return { found: true, expected: toExpected(inst.version, f.url, f.size, f.sha256) };
      }
    }
  }

  const release = releaseVersion(description);
  const releaseInstallation = description.installations.find((i) => i.version === release)!;
  const sameType = releaseInstallation.paths.find((p) => p.type === parsed.type)?.files[0];
  const current = sameType ? toExpected(release, sameType.url, sameType.size, sameType.sha256) : undefined;
  const order = compareVersions(parsed.version, release);
  const reason: WrongReleaseReason =
    order < 0 ? 'older-version' : order > 0 ? 'other-version' : current ? 'unknown-file' : 'other-type';
  return current ? { found: false, reason, current } : { found: false, reason };
}
