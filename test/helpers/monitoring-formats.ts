/**
 * Strict readers of the two monitoring formats, written to their specifications, so tests
 * check `iso-verify mirror --format nagios|prometheus` with the rules the tools apply:
 *
 * - Monitoring plugins (https://www.monitoring-plugins.org/doc/guidelines.html): exit 0/1/2/3 =
 *   OK/WARNING/CRITICAL/UNKNOWN; the first line is "TEXT | PERFDATA"; perfdata items are
 *   `'label'=value[UOM];[warn];[crit];[min];[max]`, space separated, the label without '=' or
 *   an unescaped "'", UOM one of s ms us % B KB MB GB TB c (or none); later lines are long text.
 * - Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/)
 *   as the node exporter's textfile collector reads it: HELP and TYPE at most once per family
 *   and TYPE before its samples, one contiguous group per family, valid metric and label names,
 *   label values with only \\ \" \n escapes, no duplicate series, a float value, no timestamps,
 *   a final line feed.
 */

export interface PerfDatum {
  label: string;
  value: number;
  uom: string;
  warn?: string;
  crit?: string;
  min?: string;
  max?: string;
}

export interface PluginOutput {
  state: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  text: string;
  perfdata: PerfDatum[];
  longText: string[];
}

const STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const UOMS = new Set(['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c']);
const RANGE = /^(@?(~|-?\d+(\.\d+)?)?:?(-?\d+(\.\d+)?)?)?$/;

function parsePerfdata(text: string): PerfDatum[] {
  const out: PerfDatum[] = [];
  let rest = text.trim();
  while (rest.length) {
    let label: string;
    if (rest.startsWith("'")) {
      const m = /^'((?:[^'=]|'')+)'=/.exec(rest);
      if (!m) throw new Error(`perfdata: bad quoted label at "${rest}"`);
      label = m[1]!.replace(/''/g, "'");
      rest = rest.slice(m[0].length);
    } else {
      const m = /^([^'= ]+)=/.exec(rest);
      if (!m) throw new Error(`perfdata: bad label at "${rest}"`);
      label = m[1]!;
      rest = rest.slice(m[0].length);
    }
    const end = rest.search(/ |$/);
    const item = rest.slice(0, end);
    rest = rest.slice(end).trimStart();
    const [valueUom = '', warn, crit, min, max, ...extra] = item.split(';');
    if (extra.length) throw new Error(`perfdata: too many fields in ${label}`);
    const vm = /^(-?\d+(?:\.\d+)?)([a-zA-Z%]*)$/.exec(valueUom);
    if (!vm || !UOMS.has(vm[2]!)) throw new Error(`perfdata: bad value or unit "${valueUom}" for ${label}`);
    for (const threshold of [warn, crit])
      if (threshold !== undefined && !RANGE.test(threshold)) throw new Error(`perfdata: bad threshold "${threshold}"`);
    for (const bound of [min, max])
      if (bound !== undefined && bound !== '' && !/^-?\d+(\.\d+)?$/.test(bound))
        throw new Error(`perfdata: bad min/max "${bound}"`);
    out.push({
      label,
      value: Number(vm[1]),
      uom: vm[2]!,
      ...(warn ? { warn } : {}),
      ...(crit ? { crit } : {}),
      ...(min ? { min } : {}),
      ...(max ? { max } : {}),
    });
  }
  return out;
}

/** Reads a plugin's stdout and exit status; throws on anything a monitoring core would misread. */
export function parsePluginOutput(stdout: string, exitStatus: number): PluginOutput {
  if (!Number.isInteger(exitStatus) || exitStatus < 0 || exitStatus > 3)
    throw new Error(`plugin exit status ${exitStatus} is not 0..3`);
  const lines = stdout.replace(/\n$/, '').split('\n');
  const first = lines[0] ?? '';
  const bar = first.indexOf('|');
  const text = (bar < 0 ? first : first.slice(0, bar)).trim();
  if (!text) throw new Error('plugin output: empty status line');
  const state = STATES[exitStatus]!;
  // The convention: "SERVICE STATE - text"; the state word must agree with the exit status.
  const m = /^\S+ (OK|WARNING|CRITICAL|UNKNOWN) - /.exec(text);
  if (!m) throw new Error(`plugin output: status line does not read "SERVICE STATE - …": ${text}`);
  if (m[1] !== state) throw new Error(`plugin output says ${m[1]} but exits ${exitStatus} (${state})`);
  const longText: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.includes('|')) throw new Error(`long text holds a "|" (would start perfdata): ${line}`);
    longText.push(line);
  }
  return { state, text, perfdata: bar < 0 ? [] : parsePerfdata(first.slice(bar + 1)), longText };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string | undefined;
  help: string | undefined;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`exposition: bad value "${text}"`);
  return Number(text);
}

function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after "{"
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const nm = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!nm) throw new Error(`exposition: bad label name in ${line}`);
    const name = nm[0];
    if (name.startsWith('__')) throw new Error(`exposition: reserved label name ${name}`);
    if (name in labels) throw new Error(`exposition: duplicate label ${name} in ${line}`);
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`exposition: expected ="… after ${name} in ${line}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') throw new Error(`exposition: unterminated label value in ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else throw new Error(`exposition: bad escape \\${e} in ${line}`);
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`exposition: expected , or } in ${line}`);
  }
}

/** Reads a text exposition as the textfile collector would; throws on anything it rejects. */
export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition: no final line feed');
  const families = new Map<string, Family>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const family = (name: string) => {
    if (!METRIC_NAME.test(name)) throw new Error(`exposition: bad metric name ${name}`);
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: undefined, help: undefined, samples: [] }));
    if (current !== name) {
      if (current !== undefined) closed.add(current);
      if (closed.has(name)) throw new Error(`exposition: ${name} appears in two separate groups`);
      current = name;
    }
    return f;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) continue; // a plain comment
      const f = family(m[2]!);
      if (m[1] === 'HELP') {
        if (f.help !== undefined) throw new Error(`exposition: second HELP for ${f.name}`);
        if (/\\[^\\n]/.test(m[3] ?? '')) throw new Error(`exposition: bad escape in HELP of ${f.name}`);
        f.help = m[3] ?? '';
      } else {
        if (f.type !== undefined) throw new Error(`exposition: second TYPE for ${f.name}`);
        if (f.samples.length) throw new Error(`exposition: TYPE of ${f.name} after its samples`);
        if (!TYPES.has(m[3] ?? '')) throw new Error(`exposition: unknown type ${m[3]}`);
        f.type = m[3];
      }
      continue;
    }
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) throw new Error(`exposition: bad sample line ${line}`);
    let rest = line.slice(nm[0].length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (parts.length === 2) throw new Error(`exposition: the textfile collector refuses sample timestamps: ${line}`);
    if (parts.length !== 1) throw new Error(`exposition: bad sample line ${line}`);
    const f = family(nm[0]);
    const key = `${nm[0]}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`exposition: duplicate series ${line}`);
    series.add(key);
    for (const name of Object.keys(labels))
      if (!LABEL_NAME.test(name)) throw new Error(`exposition: bad label name ${name}`);
    f.samples.push({ name: nm[0], labels, value: parseValue(parts[0]!) });
  }
  return families;
}
