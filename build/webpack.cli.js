// The command-line tool: one CommonJS file for Node, so `bin` works without a loader. It starts
// with a shebang and is made executable, so dist/cli/iso-verify.cjs runs directly.
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outputDir = path.join(root, 'dist/cli');

/** chmod +x every emitted .cjs entry after webpack writes it. */
class ExecutableOutputPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tapPromise('ExecutableOutputPlugin', async (compilation) => {
      const files = [...compilation.assetsInfo.keys()].filter((name) => name.endsWith('.cjs'));
      await Promise.all(files.map((name) => chmod(path.join(compiler.outputPath, name), 0o755)));
    });
  }
}

export default (_env, argv) => ({
  name: 'cli',
  mode: argv.mode ?? 'production',
  target: 'node20',
  entry: { 'iso-verify': './src/cli/main.ts' },
  output: {
    path: outputDir,
    filename: '[name].cjs',
    library: { type: 'commonjs2' },
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
  module: {
    // openpgp.js's Node build calls createRequire(import.meta.url) to reach node:crypto and
    // node:zlib; webpack would replace that call with `undefined`, so leave it to Node (the
    // URL is defined below, so no build-machine path ends up in the bundle).
    parser: { javascript: { createRequire: false } },
    rules: [
      // `import text from './file.asc?raw'` (shipped keys): the file's text as a string.
      { resourceQuery: /raw/, type: 'asset/source' },
      { test: /\.tsx?$/, resourceQuery: { not: [/raw/] }, loader: 'esbuild-loader', options: { target: 'node20' } },
    ],
  },
  optimization: { minimize: false, moduleIds: 'deterministic', chunkIds: 'deterministic' },
  devtool: false,
  // Keep __filename real (not the module's build-time path).
  node: { __filename: false, __dirname: false },
  plugins: [
    new webpack.DefinePlugin({ 'import.meta.url': 'require("node:url").pathToFileURL(__filename).href' }),
    new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true }),
    new ExecutableOutputPlugin(),
  ],
});
