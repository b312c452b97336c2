/**
 * The docs stay true to the code: every relative link resolves, every `npm run <script>` exists,
 * and every option of every CLI command is documented (docs/cli.md, or docs/mirror.md for
 * `mirror`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import pkg from '../../../package.json';
import { REPO } from '../cli/harness.js';

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (file: string): string => readFileSync(path.join(REPO, file), 'utf8');

describe('documentation', () => {
  it.each(DOCS)('%s: relative links resolve', (file) => {
    const broken = [...read(file).matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(path.resolve(path.dirname(path.join(REPO, file)), target)));
    expect(broken).toEqual([]);
  });

  it('every `npm run <script>` named in the README and CONTRIBUTING.md exists', () => {
    const scripts = Object.keys(pkg.scripts);
    for (const file of ['README.md', 'CONTRIBUTING.md']) {
      for (const m of read(file).matchAll(/npm run ([a-z:-]+)/g))
        expect(scripts, `${file}: npm run ${m[1]}`).toContain(m[1]);
    }
  });

  it('every option of every command is documented', () => {
    for (const command of COMMANDS) {
      const own = `docs/${command.name}.md`;
      const doc = read('docs/cli.md') + (existsSync(path.join(REPO, own)) ? read(own) : '');
      const options = new Set(
        [...command.help.matchAll(/--[a-z][a-z-]+/g)].map((m) => m[0]).filter((o) => o !== '--help'),
      );
      for (const option of options) expect(doc, `${command.name} ${option}`).toContain(option);
    }
  });

  it('the README says how to install the extension and the CLI, and the package is installable', () => {
    const readme = read('README.md');
    expect(readme).toContain('## Install');
    expect(readme).toMatch(/Load Temporary Add-on/);
    expect(readme).toMatch(/Load unpacked/);
    expect(readme).toMatch(/store release/);
    expect(readme).toMatch(/npm install -g \.\/iso-verify-/);
    expect(readme).toContain(`Node.js ${pkg.engines.node.replace('>=', '')} or later`);
  });
});
