// The WebExtension: one source, two Manifest V3 builds (dist/chrome, dist/firefox).
// `--env profile=tails|demo|<path/to/profile.json>` picks the profile (default tails); it is
// validated with the core's parseProfile (its key file resolved next to the profile file)
// and injected as __ISO_VERIFY_PROFILE__, read only by src/extension/active-profile.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { ExtensionOutputPlugin } from './manifest.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** Entry points; each becomes `<name>.js` in both dist dirs. Add the site content script here. */
export const ENTRIES = {
  background: './src/background/background.ts',
  popup: './src/ui/popup.tsx',
  verify: './src/ui/verify.tsx',
  options: './src/ui/options.tsx',
  // Chromium without file access: the one-time set-up page (src/background/chromium/file-access-welcome.ts).
  welcome: './src/ui/welcome.tsx',
  'mirror-check': './src/ui/mirror-check.tsx',
  'hash-worker': './src/worker/hash-worker.ts',
  // Chrome only (build/manifest.js): the offscreen document that hashes a finished download in workers.
  offscreen: './src/offscreen/offscreen.ts',
  // The official site's bridge (issue 5): content script + the hidden frame that verifies a picked file.
  'site-bridge': './src/site/bridge.ts',
  'verify-frame': './src/site/verify-frame.ts',
  // Firefox only (build/manifest.js): hands the official site's image links to downloads.download().
  'site-download-links': './src/site/download-links.ts',
};

/** HTML shells the manifest and pages refer to (copied from public/). */
const REQUIRED_PUBLIC = [
  'popup.html',
  'verify.html',
  'options.html',
  '_locales/en/messages.json',
  'icons/icon-128.png',
];

function requireFiles(files, what) {
  const missing = files.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) {
    throw new Error(`ISO Verify extension build: missing ${what}: ${missing.join(', ')}`);
  }
}

/** The profile file for `--env profile=…`: a built-in id or a path to a JSON file. */
export function profilePath(choice = 'tails') {
  if (/^[a-z0-9-]+$/.test(choice) && fs.existsSync(path.join(root, 'profiles', `${choice}.json`))) {
    return path.join(root, 'profiles', `${choice}.json`);
  }
  const file = path.resolve(choice);
  if (!fs.existsSync(file))
    throw new Error(`ISO Verify extension build: profile "${choice}" is neither a built-in profile nor a file`);
  return file;
}

/** Validate the profile with the core's own parser (TypeScript, loaded through tsx). */
export function loadProfile(choice) {
  const file = profilePath(choice);
  const { require: tsRequire } = require('tsx/cjs/api');
  const { parseProfile } = tsRequire(path.join(root, 'src/core/profile-schema.ts'), import.meta.url);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const dir = path.dirname(file);
  return parseProfile(json, (rel) => {
    const resolved = path.resolve(dir, rel);
    if (path.relative(dir, resolved).startsWith('..'))
      throw new Error(`key file ${rel} is outside the profile's directory`);
    return fs.readFileSync(resolved, 'utf8');
  });
}

export default (env = {}, argv = {}) => {
  requireFiles(Object.values(ENTRIES), 'entry files (another part of the project may not have landed yet)');
  requireFiles(
    REQUIRED_PUBLIC.map((f) => `public/${f}`),
    'files in public/',
  );
  const profile = loadProfile(env.profile);
  const mode = argv.mode ?? 'production';
  return {
    name: 'extension',
    mode,
    target: ['web', 'es2022'],
    context: root,
    entry: ENTRIES,
    output: {
      path: path.join(root, 'dist'),
      // Built once under chrome/; ExtensionOutputPlugin mirrors it into firefox/.
      filename: 'chrome/[name].js',
      // Every entry is one self-contained file: a service worker cannot load chunks later.
      asyncChunks: false,
      chunkFormat: 'array-push',
      globalObject: 'globalThis',
      publicPath: '',
      hashFunction: 'sha256',
      clean: { keep: (asset) => !asset.startsWith('chrome/') && !asset.startsWith('firefox/') },
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      rules: [
        // preact without its innerHTML path (the loader's header says why).
        {
          test: /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.module\.js$/,
          loader: path.join(root, 'build', 'preact-no-inner-html-loader.cjs'),
        },
        {
          oneOf: [
            // `import text from './file?raw'`: the file's text (pinned keys, fixtures).
            { resourceQuery: /raw/, type: 'asset/source' },
            {
              test: /\.tsx?$/,
              loader: 'esbuild-loader',
              options: { target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact' },
            },
          ],
        },
      ],
    },
    optimization: {
      // Readable bundles for store review; deterministic ids so rebuilds are byte-identical.
      minimize: false,
      moduleIds: 'deterministic',
      chunkIds: 'deterministic',
      splitChunks: false,
      runtimeChunk: false,
    },
    // No source maps: they would embed absolute build paths.
    devtool: false,
    performance: { hints: false },
    plugins: [
      new webpack.DefinePlugin({
        __ISO_VERIFY_PROFILE__: JSON.stringify(profile),
        'typeof __ISO_VERIFY_PROFILE__': JSON.stringify('object'),
      }),
      new ExtensionOutputPlugin({ root, publicDir: path.join(root, 'public'), profile }),
    ],
  };
};
