/**
 * verify-build's comparison and leak detection (scripts/verify-build.js), on small hand-made trees.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareTrees, copyFiles, findLeaks, firstDifference, sourceFiles } from '../../../scripts/verify-build.js';
import { REPO, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let counter = 0;

function tree(files: Record<string, string>): string {
  const dir = path.join(tmp.dir, `tree-${++counter}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('firstDifference', () => {
  const b = (text: string): Uint8Array => new TextEncoder().encode(text);
  it('finds the first differing byte, the shorter length for a prefix, -1 for equal', () => {
    expect(firstDifference(b('abcdef'), b('abcXef'))).toBe(3);
    expect(firstDifference(b('abc'), b('abcdef'))).toBe(3);
    expect(firstDifference(b('xbc'), b('abc'))).toBe(0);
    expect(firstDifference(b('same'), b('same'))).toBe(-1);
  });
});

describe('compareTrees', () => {
  it('reports nothing for identical trees', () => {
    const files = { 'a.js': 'a', 'sub/b.zip': 'PK..' };
    const result = compareTrees(tree(files), tree(files));
    expect(result.differences).toEqual([]);
    expect(result.files).toEqual(['a.js', 'sub/b.zip']);
  });

  it('names each differing file with its first differing byte, and files only one build has', () => {
    const a = tree({ 'chrome/verify.js': 'const id = 123;', 'same.txt': 'x', 'gone.txt': 'g' });
    const b = tree({ 'chrome/verify.js': 'const id = 124;', 'same.txt': 'x', 'new.txt': 'n' });
    const { differences } = compareTrees(a, b);
    expect(differences).toEqual([
      { file: 'chrome/verify.js', reason: 'content differs (15 vs 15 bytes), first at byte 13', offset: 13 },
      { file: 'gone.txt', reason: 'only in the first build' },
      { file: 'new.txt', reason: 'only in the second build' },
    ]);
  });
});

describe('findLeaks', () => {
  it('finds the build directory, home and temporary paths, but not URLs or relative paths', () => {
    const buildDir = path.join(tmp.dir, 'some-build-dir');
    const dir = tree({
      'a.js': `var p = "${buildDir}/src/x.ts";`,
      'b.js': 'var t = "/tmp/webpack-1234/x";',
      'c.js': 'throw new Error("/home/alice/project/y.ts")',
      'clean.js': '// https://homes.example.org/home/page  ./node_modules/x/y.js  http://h/tmp/x  a/tmp/b',
      'archive.zip': `${buildDir}`,
    });
    const leaks = findLeaks(dir, [buildDir, '/']);
    expect(leaks).toEqual([
      { file: 'a.js', found: buildDir },
      { file: 'b.js', found: '/tmp/w' },
      { file: 'c.js', found: '/home/a' },
    ]);
  });
});

describe('sourceFiles and copyFiles', () => {
  it('copy the working tree as git sees it: tracked and untracked files, never ignored ones', () => {
    const files = sourceFiles(REPO);
    expect(files).toContain('package.json');
    expect(files).toContain('scripts/verify-build.js');
    expect(files.some((f) => f.startsWith('node_modules/') || f.startsWith('dist/'))).toBe(false);
    const to = path.join(tmp.dir, 'copy');
    copyFiles(REPO, to, ['package.json', 'scripts/package.js']);
    expect(compareTrees(to, to).files).toEqual(['package.json', 'scripts/package.js']);
  });
});
