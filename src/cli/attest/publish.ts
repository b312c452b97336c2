/**
 * Writes a link into a static publishing tree (docs/reproduce.md):
 *
 *   <dir>/<product>/<version>/<file>.link
 *   <dir>/index.json   {"format":"iso-verify-reproducer/1","keyId","publicKeyPem","links":[{product,version,file,path,sha256}]}
 *
 * The index is for people and tools that want to list what a reproducer published; ISO Verify
 * never reads it to decide anything (it fetches the link at its fixed path). One tree holds the
 * links of one key: adding a link signed by another key is refused.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IsoVerifyError } from '../../core/errors.js';
import { isSafeSegment, staticLinkPath, type ReleaseRef } from '../../core/repro/static-reproducer.js';

export const INDEX_FORMAT = 'iso-verify-reproducer/1';
const MAX_INDEX = 1 << 20;

export interface IndexEntry {
  product: string;
  version: string;
  file: string;
  /** Relative URL path of the link (segments URI-encoded). */
  path: string;
  sha256: string;
}

export interface ReproducerIndex {
  format: typeof INDEX_FORMAT;
  keyId: string;
  publicKeyPem: string;
  links: IndexEntry[];
}

async function readIndex(file: string): Promise<ReproducerIndex | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IsoVerifyError('io-failed', `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text.length > MAX_INDEX) throw new IsoVerifyError('input-too-large', `${file}: larger than ${MAX_INDEX} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new IsoVerifyError('input-malformed', `${file}: not JSON`);
  }
  const index = doc as Partial<ReproducerIndex>;
  if (index?.format !== INDEX_FORMAT || typeof index.keyId !== 'string' || !Array.isArray(index.links)) {
    throw new IsoVerifyError('input-malformed', `${file}: not an ${INDEX_FORMAT} index`);
  }
  return index as ReproducerIndex;
}

/** The SHA-256 an existing link names for `fileName` ('' when unreadable), or undefined when there is none. */
async function existingLinkSha256(file: string, fileName: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return '';
  }
  try {
    const sha256 = (JSON.parse(text) as { signed?: { products?: Record<string, { sha256?: unknown }> } }).signed
      ?.products?.[fileName]?.sha256;
    return typeof sha256 === 'string' ? sha256.toLowerCase() : '';
  } catch {
    return '';
  }
}

/** Write atomically (rename over), so a static host never serves half a file. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, text, { mode: 0o644 });
  await rename(temporary, file);
}

/** Write the link and update the index; returns the link's path on disk. */
export async function publishLink(
  dir: string,
  release: ReleaseRef,
  link: { text: string; sha256: string },
  key: { keyId: string; publicKeyPem: string },
): Promise<{ linkFile: string; indexFile: string; urlPath: string }> {
  for (const segment of [release.product, release.version, release.fileName]) {
    if (!isSafeSegment(segment) || segment.startsWith('.'))
      throw new IsoVerifyError('input-invalid-value', `not usable as a path segment: ${segment}`);
  }
  const segments = staticLinkPath(release);
  const indexFile = path.join(dir, 'index.json');
  const index = (await readIndex(indexFile)) ?? {
    format: INDEX_FORMAT,
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    links: [],
  };
  if (index.keyId !== key.keyId) {
    throw new IsoVerifyError(
      'input-invalid-value',
      `${indexFile} lists links of key ${index.keyId}, not ${key.keyId}: use one tree per key`,
    );
  }
  const linkFile = path.join(dir, ...segments);
  // A published link is what every user's extension counts: replacing one that names other
  // bytes would silently change a public statement. The rebuilder removes it by hand.
  const existing = await existingLinkSha256(linkFile, release.fileName);
  if (existing !== undefined && existing !== link.sha256.toLowerCase()) {
    throw new IsoVerifyError(
      'output-exists',
      `${linkFile} already names other bytes (sha256 ${existing === '' ? 'unreadable' : existing}, this image ${link.sha256}); not replaced: users may already have seen it. Nothing was written. If your new build is the right one, remove that link yourself and run again`,
    );
  }
  try {
    await mkdir(path.dirname(linkFile), { recursive: true });
  } catch (e) {
    throw new IsoVerifyError(
      'io-write-failed',
      `cannot write ${linkFile}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  await writeAtomic(linkFile, link.text);
  const urlPath = segments.map(encodeURIComponent).join('/');
  const entry: IndexEntry = {
    product: release.product,
    version: release.version,
    file: release.fileName,
    path: urlPath,
    sha256: link.sha256,
  };
  const links = [...index.links.filter((l) => l.path !== urlPath), entry].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  await writeAtomic(indexFile, `${JSON.stringify({ ...index, links }, null, 2)}\n`);
  return { linkFile, indexFile, urlPath };
}
