import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const loader = require('../../../build/preact-no-inner-html-loader.cjs') as (
  this: { resourcePath: string },
  source: string,
) => string;
const run = (source: string) => loader.call({ resourcePath: 'preact.module.js' }, source);

describe('preact-no-inner-html-loader', () => {
  it('removes the one dynamic innerHTML assignment of the installed preact, and only that', () => {
    const source = readFileSync(new URL('../../../node_modules/preact/dist/preact.module.js', import.meta.url), 'utf8');
    const out = run(source);
    expect(out).not.toMatch(/\.innerHTML=[A-Za-z_$][\w$]*\.__html/);
    expect(out).toContain('dangerouslySetInnerHTML is not supported');
    // The constant clearing (innerHTML="") stays: it writes no markup.
    expect(out.match(/innerHTML=""/g)?.length).toBe(source.match(/innerHTML=""/g)?.length);
    expect(out.length - source.length).toBeLessThan(120);
  });

  it('fails the build when preact changed (no such assignment, or more than one)', () => {
    expect(() => run('function f(){}')).toThrow(/found 0/);
    expect(() => run('(a.innerHTML=b.__html);(c.innerHTML=d.__html)')).toThrow(/found 2/);
  });
});
