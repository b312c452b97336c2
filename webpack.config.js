// One webpack run builds every bundle: each surface has its own config module in build/.
// `--env profile=<id|path>` picks the profile for the extension and widget (default: tails).
import cliConfig from './build/webpack.cli.js';
import extensionConfig from './build/webpack.extension.js';
import embedConfig from './build/webpack.embed.js';

export default (env = {}, argv = {}) => {
  const configs = [cliConfig(env, argv), extensionConfig(env, argv), embedConfig(env, argv)];
  return configs;
};
