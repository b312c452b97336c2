// Types for build/webpack.embed.js (plain JS, as webpack.config.js imports it).
import type { Configuration } from 'webpack';

export default function embedConfig(
  env?: Record<string, unknown>,
  argv?: { mode?: 'production' | 'development' | 'none' },
): Configuration;
