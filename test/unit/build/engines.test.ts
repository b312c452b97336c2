/**
 * `npm ci` prints no engine warning on the Node floor the project states: every locked
 * package's `engines.node` accepts the minimum of package.json's `engines.node`
 * (rechoir 1 via webpack-cli 7.3 wanted Node 22.15; the lock must not bring such a package back).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/harness.js';

const require = createRequire(import.meta.url);
// semver is npm's own version logic (installed with the toolchain); used here to read ranges as npm does.
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

describe('Node engine floor', () => {
  it('every locked package accepts the floor that package.json states', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    const floor = semver.minVersion(pkg.engines.node)!.version;
    expect(floor).toBe('20.19.0');
    const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .map(
        ([name, meta]) =>
          [
            name.replace(/^.*node_modules\//, ''),
            Array.isArray(meta.engines) ? undefined : meta.engines?.node,
          ] as const,
      )
      .filter(([, range]) => range !== undefined && !semver.satisfies(floor, range))
      .map(([name, range]) => `${name} (${range})`);
    expect(refusing).toEqual([]);
  });
});
