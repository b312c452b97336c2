// `npm run package`: zip dist/chrome and dist/firefox into dist/iso-verify-<browser>-<version>.zip
// (run `npm run build` first). Entries are sorted and carry one fixed timestamp, so the same
// build gives the same archive; SOURCE_DATE_EPOCH (seconds) overrides the timestamp.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BROWSERS = ['chrome', 'firefox'];
/** ZIP timestamps start in 1980; a fixed date keeps archives byte-identical across builds. */
const DEFAULT_MTIME = Date.UTC(1980, 0, 1, 12, 0, 0);

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

export function mtimeFromEnv(env = process.env) {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date(DEFAULT_MTIME);
  if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds, got "${epoch}"`);
  return new Date(Math.max(Number(epoch) * 1000, DEFAULT_MTIME));
}

/** Zip one browser's build directory; returns the archive path. */
export function packageBrowser(browser, { distDir = path.join(root, 'dist'), version, mtime = mtimeFromEnv() } = {}) {
  const dir = path.join(distDir, browser);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`${path.relative(root, dir)}/manifest.json not found: run \`npm run build\` first`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const v = version ?? manifest.version;
  const files = {};
  for (const rel of listFiles(dir)) files[rel] = [new Uint8Array(fs.readFileSync(path.join(dir, rel))), { mtime }];
  const zip = zipSync(files, { level: 9, mtime });
  const out = path.join(distDir, `iso-verify-${browser}-${v}.zip`);
  fs.writeFileSync(out, zip);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const browser of BROWSERS) console.log(path.relative(root, packageBrowser(browser)));
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
