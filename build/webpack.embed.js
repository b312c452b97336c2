// The website widget (src/embed): dist/embed/iso-verify-embed.js defines <iso-verify-download>.
// Only that file loads up front; the verification engine (hash-wasm + core), openpgp.js, the
// hashing worker and other languages are separate chunks fetched on demand from the same
// directory (publicPath 'auto' = wherever the page loaded the widget from). See docs/embed.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Message groups the widget's components use (VerdictView, EvidenceView, ProgressView,
 * FilePicker, ErrorText, the widget itself); the extension's other pages have many more.
 * A key missing here shows as the key itself, which the widget's e2e test would catch.
 */
const WIDGET_MESSAGES =
  /^(locale|err|verdict|unverifiable|wrong_release|ev|evidence|verify|progress|phase|input|signature_over|release|type|size|action|embed)_/;

/** Locale files keep only the widget's messages, without translator notes. */
function widgetMessages(text) {
  const messages = JSON.parse(text);
  for (const [key, entry] of Object.entries(messages)) {
    if (!WIDGET_MESSAGES.test(key)) {
      delete messages[key];
      continue;
    }
    delete entry.description;
    for (const placeholder of Object.values(entry.placeholders ?? {})) delete placeholder.example;
  }
  return messages;
}

/** The stylesheet's text without comments and runs of white space (it is bundled as a string). */
function compactCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .trim();
}

export default (_env = {}, argv = {}) => ({
  name: 'embed',
  mode: argv.mode ?? 'production',
  target: ['web', 'es2020'],
  context: root,
  entry: { 'iso-verify-embed': './src/embed/index.ts' },
  output: {
    path: path.join(root, 'dist/embed'),
    filename: '[name].js',
    chunkFilename: '[name].js',
    publicPath: 'auto',
    hashFunction: 'sha256',
    // Chunk loading uses a global of this name: keep it ours so it cannot clash with the site's.
    uniqueName: 'isoVerifyEmbed',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
  },
  module: {
    rules: [
      {
        oneOf: [
          // `import css from './ui.css?raw'`: the compacted text, for the shadow root's <style>
          // (a JSON module whose value is one string).
          { test: /\.css$/, resourceQuery: /raw/, type: 'json', parser: { parse: (text) => compactCss(text) } },
          { resourceQuery: /raw/, type: 'asset/source' },
          {
            test: /_locales[\\/][^\\/]+[\\/]messages\.json$/,
            type: 'json',
            parser: { parse: widgetMessages },
          },
          {
            test: /\.tsx?$/,
            loader: 'esbuild-loader',
            options: { target: 'es2020', jsx: 'automatic', jsxImportSource: 'preact' },
          },
        ],
      },
    ],
  },
  optimization: {
    moduleIds: 'deterministic',
    chunkIds: 'named',
    splitChunks: {
      chunks: 'async',
      cacheGroups: {
        // openpgp.js is most of the engine's weight and changes rarely: its own cacheable file.
        openpgp: {
          test: /[\\/]node_modules[\\/]openpgp[\\/]/,
          name: 'iso-verify-openpgp',
          chunks: 'async',
          enforce: true,
        },
        defaultVendors: false,
        default: false,
      },
    },
  },
  devtool: false,
  performance: { hints: false },
});
