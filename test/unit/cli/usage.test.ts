import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { oneErrorLine, runInProcess } from './harness.js';

describe('usage errors and help', () => {
  const cases: [string, string[], RegExp][] = [
    ['no arguments at all', [], /./],
    ['an unknown command', ['frobnicate'], /usage: unknown command 'frobnicate'/],
    ['an unknown global option', ['--frob'], /usage: unknown option '--frob'/],
    [
      'an unknown command option',
      ['hash', '--frob', 'x'],
      /usage: hash: Unknown option '--frob'.*iso-verify hash --help/,
    ],
    ['a missing operand', ['hash'], /usage: hash: missing <file>/],
    ['an option without its value', ['hash', 'x', '--algo'], /usage: hash: Option '--algo <value>' argument missing/],
    ['help for an unknown command', ['help', 'nope'], /unknown command 'nope'/],
  ];
  for (const [what, argv, pattern] of cases) {
    it(`${what} → exit 2`, async () => {
      const r = await runInProcess(argv);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      if (argv.length === 0) expect(r.stderr).toContain('Usage: iso-verify');
      else expect(oneErrorLine(r.stderr)).toMatch(pattern);
    });
  }

  it('--help lists every registered command and exits 0', async () => {
    const r = await runInProcess(['--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
    expect(r.stdout).toContain('Exit status');
  });

  it('each command has its own --help (and help <command>)', async () => {
    for (const c of COMMANDS) {
      const a = await runInProcess([c.name, '--help']);
      const b = await runInProcess(['help', c.name]);
      expect(a.status).toBe(0);
      expect(a.stdout).toMatch(new RegExp(`^Usage: iso-verify ${c.name} `));
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('--version prints the package version', async () => {
    const { default: pkg } = await import('../../../package.json');
    const r = await runInProcess(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`iso-verify ${pkg.version}\n`);
  });
});
