// Shared helpers for the build tests: temporary directories and an independent ZIP reader
// (Python's zipfile, not our own code, so the tests do not check the writer against itself).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function tempDir(prefix = 'iso-verify-build-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ZipEntryInfo {
  name: string;
  /** [year, month, day, hour, minute, second] as stored (DOS time, 2-second steps). */
  dateTime: number[];
  mode: number;
  createSystem: number;
  compressType: number;
  size: number;
  sha256: string;
}

const READER = `
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
out = {"bad": bad, "entries": []}
for i in z.infolist():
    data = z.read(i)
    out["entries"].append({"name": i.filename, "dateTime": list(i.date_time), "mode": i.external_attr >> 16,
        "createSystem": i.create_system, "compressType": i.compress_type, "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()})
print(json.dumps(out))
`;

/** Entries of a ZIP file as Python's zipfile reads them; throws if any CRC is wrong. */
export function readZip(file: string): ZipEntryInfo[] {
  const result = JSON.parse(execFileSync('python3', ['-c', READER, file], { encoding: 'utf8' })) as {
    bad: string | null;
    entries: ZipEntryInfo[];
  };
  if (result.bad !== null) throw new Error(`${file}: bad CRC in ${result.bad}`);
  return result.entries;
}

/** UTC calendar fields of `epoch`, rounded down to DOS's 2-second step, as zipfile reports them. */
export function utcFields(epoch: number): number[] {
  const d = new Date(epoch * 1000);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds() & ~1,
  ];
}
