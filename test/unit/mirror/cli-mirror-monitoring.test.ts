/**
 * `iso-verify mirror --format nagios|prometheus` against the loopback site and mirrors, read
 * back with the rules of the tools that consume them (test/helpers/monitoring-formats.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type RunResult } from '../cli/harness.js';
import { startMirrorFixture, type MirrorFixture } from './fixture.js';
import { parseExposition, parsePluginOutput } from '../../helpers/monitoring-formats.js';
import { formatNagios, formatPrometheus } from '../../../src/cli/mirror-output.js';
import type { MirrorReport } from '../../../src/core/mirror/types.js';

let f: MirrorFixture;

beforeAll(async () => {
  f = await startMirrorFixture({ slowBytesPerSecond: 64 * 1024 });
});

afterAll(async () => {
  await f?.close();
});

function run(args: string[], profile?: string): Promise<RunResult> {
  return runInProcess(['mirror', ...args, '--profile', profile ?? f.profilePath, '--state', f.statePath], {
    fetch,
    stderrIsTTY: false,
  });
}

describe('the readers have teeth', () => {
  it('reject what the tools reject', () => {
    expect(() => parsePluginOutput('MIRRORS OK - fine\n', 2)).toThrow(/says OK but exits 2/);
    expect(() => parsePluginOutput("MIRRORS OK - x | 'a=b'=1\n", 0)).toThrow(/label/);
    expect(() => parsePluginOutput("MIRRORS OK - x | 'a'=1MiB\n", 0)).toThrow(/unit/);
    expect(() => parsePluginOutput('MIRRORS OK - x\nmore | text\n', 0)).toThrow(/long text/);
    expect(() => parseExposition('a 1')).toThrow(/final line feed/);
    expect(() => parseExposition('a 1 1700000000\n')).toThrow(/timestamps/);
    expect(() => parseExposition('a{x="1"} 1\nb 1\na{x="2"} 1\n')).toThrow(/two separate groups/);
    expect(() => parseExposition('a{x="1"} 1\na{x="1"} 2\n')).toThrow(/duplicate series/);
    expect(() => parseExposition('a{x="\\t"} 1\n')).toThrow(/escape/);
    expect(() => parseExposition('a 1\n# TYPE a gauge\n')).toThrow(/after its samples/);
    expect(() => parseExposition('a-b 1\n')).toThrow();
  });
});

describe('iso-verify mirror --format nagios', () => {
  it('all mirrors correct: OK, exit 0, perfdata per mirror', async () => {
    const r = await run([f.prefix('good'), '--quick', '--format', 'nagios']);
    const out = parsePluginOutput(r.stdout, r.status);
    expect(out.state).toBe('OK');
    expect(out.text).toBe('MIRRORS OK - 1 mirror serves Tails 7.2 correctly');
    expect(out.perfdata.map((p) => [p.label, p.uom])).toEqual([
      [`${f.prefix('good')} state`, ''],
      [`${f.prefix('good')} read`, 'B'],
      [`${f.prefix('good')} time`, 's'],
    ]);
    expect(out.perfdata[0]).toMatchObject({ value: 0, warn: '1', crit: '2', min: '0', max: '2' });
    expect(r.stderr).toBe('');
  });

  it('a mirror serving wrong data: CRITICAL, exit 2, naming the mirror and the file', async () => {
    const r = await run([f.prefix('good'), f.prefix('missing'), '--quick', '--format', 'nagios']);
    const out = parsePluginOutput(r.stdout, r.status);
    expect(out.state).toBe('CRITICAL');
    expect(out.text).toContain(
      `1 of 2 serve wrong or incomplete data: ${f.prefix('missing')} (tails-amd64-7.2.img missing`,
    );
    expect(out.perfdata.find((p) => p.label === `${f.prefix('missing')} state`)?.value).toBe(2);
    expect(out.perfdata.find((p) => p.label === `${f.prefix('good')} state`)?.value).toBe(0);
    expect(out.longText.some((l) => l.startsWith(`BAD  ${f.prefix('missing')}`))).toBe(true);
  });

  it('the check cannot run (release data unavailable): UNKNOWN, exit 3', async () => {
    const r = await run([
      f.prefix('good'),
      '--quick',
      '--format',
      'nagios',
      '--descriptor',
      `${f.site.url}/no-such/latest.json`,
    ]);
    const out = parsePluginOutput(r.stdout, r.status);
    expect(out.state).toBe('UNKNOWN');
    expect(r.status).toBe(3);
  });

  it('a usage error after the format is known is UNKNOWN too; an unknown format is a usage error', async () => {
    const r = await run(['--format', 'nagios']);
    expect(parsePluginOutput(r.stdout, r.status).state).toBe('UNKNOWN');
    const bad = await run([f.prefix('good'), '--format', 'xml']);
    expect(bad.stderr).toContain("--format must be table, json, nagios or prometheus (got 'xml')");
    expect(bad.status).not.toBe(0);
  });

  it('a mirror not fully checked is WARNING; a "|" in a name cannot break the line', () => {
    const report = (mirror: string, error?: boolean): MirrorReport => ({
      mirror,
      mode: 'quick',
      release: { product: 'Tails', version: '7.2', signed: true },
      ok: !error,
      files: [],
      bytesRead: 0,
      durationMs: 1500,
      ...(error ? { error: { code: 'fetch-failed', detail: 'a | b\nc' } } : {}),
    });
    const { text, code } = formatNagios([report('https://a.example/x=|y/'), report('https://b.example/', true)]);
    const out = parsePluginOutput(text, code);
    expect(out.state).toBe('WARNING');
    expect(out.perfdata.map((p) => p.label)).toContain('https://a.example/x_/y/ state');
  });
});

describe('iso-verify mirror --format prometheus', () => {
  it('good and missing mirrors: a valid exposition, exit 0, the state in the metrics', async () => {
    const r = await run([f.prefix('good'), f.prefix('missing'), '--quick', '--format', 'prometheus']);
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    for (const family of families.values()) {
      expect(family.type, family.name).toBe('gauge');
      expect(family.help, family.name).toBeTruthy();
    }
    const ok = families.get('iso_verify_mirror_ok')!.samples;
    expect(ok.map((s) => [s.labels.mirror, s.value])).toEqual([
      [f.prefix('good'), 1],
      [f.prefix('missing'), 0],
    ]);
    expect(families.get('iso_verify_mirror_check_success')!.samples[0]!.value).toBe(1);
    expect(families.get('iso_verify_mirror_release_info')!.samples[0]!.labels).toEqual({
      product: 'Tails',
      version: '7.2',
      signed_description: 'true',
    });
    const missingImg = families
      .get('iso_verify_mirror_file_ok')!
      .samples.find((s) => s.labels.mirror === f.prefix('missing') && s.labels.file === 'tails-amd64-7.2.img');
    expect(missingImg).toMatchObject({ value: 0, labels: { status: 'missing' } });
    // A state set: exactly one outcome is 1 per mirror.
    const outcomes = families
      .get('iso_verify_mirror_outcome')!
      .samples.filter((s) => s.labels.mirror === f.prefix('missing'));
    expect(outcomes.filter((s) => s.value === 1).map((s) => s.labels.outcome)).toEqual(['bad']);
  });

  it('the check cannot run: check_success 0, still a valid exposition and exit 0 (the textfile is replaced)', async () => {
    const r = await run([
      f.prefix('good'),
      '--quick',
      '--format',
      'prometheus',
      '--descriptor',
      `${f.site.url}/no-such/latest.json`,
    ]);
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    expect(families.get('iso_verify_mirror_check_success')!.samples[0]!.value).toBe(0);
    expect(families.has('iso_verify_mirror_ok')).toBe(false);
    expect(r.stderr).toContain('cannot check mirrors');
  });

  it('label values with quotes, backslashes and line feeds are escaped', () => {
    const mirror = 'https://a.example/"q"\\b\nc/';
    const text = formatPrometheus({
      reports: [
        {
          mirror,
          mode: 'quick',
          release: { product: 'Tails', version: '7.2', signed: false },
          ok: true,
          files: [],
          bytesRead: 0,
          durationMs: 0,
        },
      ],
      nowSeconds: 1,
    });
    expect(parseExposition(text).get('iso_verify_mirror_ok')!.samples[0]!.labels.mirror).toBe(mirror);
  });
});
