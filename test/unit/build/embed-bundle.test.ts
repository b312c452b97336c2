/**
 * The website widget runs on other people's pages: the built bundle (every chunk webpack emits
 * for src/embed) must contain no extension API and no webextension-polyfill. Lint keeps src/embed
 * from importing the extension's kernel (eslint.config.js); this checks what actually ships,
 * whatever path an import took.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import embedConfig from '../../../build/webpack.embed.js';
import { REPO, tempDir } from './helpers.js';

/** What extension code leaves in a bundle: a call into the extension API, or the polyfill itself. */
const EXTENSION_API = [
  /\b(?:chrome|browser)\s*(?:\?\.|\.)\s*(?:runtime|storage|downloads|tabs|webRequest|permissions|offscreen|notifications|action|i18n|extension|alarms)\b/,
  /webextension-polyfill/,
  /only be loaded in a browser extension/,
];

function extensionApiIn(text: string): string[] {
  return EXTENSION_API.flatMap((re) => {
    const match = re.exec(text);
    return match ? [match[0]] : [];
  });
}

const tmp = tempDir('iso-verify-embed-bundle-');
let files: { name: string; text: string }[] = [];

beforeAll(async () => {
  const config = embedConfig({}, { mode: 'production' });
  config.output = { ...config.output, path: tmp.dir };
  const stats = await new Promise<webpack.Stats | undefined>((resolve, reject) => {
    webpack(config, (error, result) => (error ? reject(error) : resolve(result)));
  });
  if (stats?.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  files = readdirSync(tmp.dir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(path.join(tmp.dir, name), 'utf8') }));
}, 300_000);

afterAll(() => tmp.cleanup());

describe('the built website widget', () => {
  it('the check recognises extension code: the polyfill as shipped, and API calls as written', () => {
    const polyfill = readFileSync(
      path.join(REPO, 'node_modules/webextension-polyfill/dist/browser-polyfill.min.js'),
      'utf8',
    );
    expect(extensionApiIn(polyfill).length).toBeGreaterThan(0);
    expect(extensionApiIn('void browser.runtime.sendMessage({type:"get-state"})')).toEqual(['browser.runtime']);
    expect(extensionApiIn('globalThis.chrome?.storage.local.get("x")')).toEqual(['chrome?.storage']);
    expect(extensionApiIn('window.postMessage({channel:"iso-verify"},location.origin)')).toEqual([]);
  });

  it('contains no extension API in any chunk', () => {
    expect(files.map((f) => f.name)).toContain('iso-verify-embed.js');
    for (const file of files) expect(extensionApiIn(file.text), file.name).toEqual([]);
  });
});
