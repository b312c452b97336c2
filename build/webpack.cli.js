// The command-line tool: one CommonJS file for Node, so `bin` works without a loader.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export default (_env, argv) => ({
  name: 'cli',
  mode: argv.mode ?? 'production',
  target: 'node20',
  entry: { 'iso-verify': './src/cli/main.ts' },
  output: {
    path: path.join(root, 'dist/cli'),
    filename: '[name].cjs',
    library: { type: 'commonjs2' },
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
  module: {
    rules: [{ test: /\.tsx?$/, loader: 'esbuild-loader', options: { target: 'node20' } }],
  },
  optimization: { minimize: false, moduleIds: 'deterministic', chunkIds: 'deterministic' },
  devtool: false,
  plugins: [],
});
