/**
 * A loopback stand-in for the project's official site (profiles/demo.json points here):
 *
 *   /install/v2/Tails/amd64/stable/latest.json(.sig)  image description + detached signature
 *   /torrents/files/<image>.sig                         image signatures
 *   /mirrors.json                                       the mirror pool (every mirror prefix)
 *   /demo-signing.key                                   the pinned demo public key
 *   /install/                                           a download page (test/servers/site/download.html)
 *   /tails/<path>                                       302 to the good mirror, like Tails' download redirector
 *   POST /__control {…SiteMode}                         change what is served at run time; GET shows it
 *                                                       ({"reachable":"down"}: every other request gets
 *                                                       its connection reset, as an unreachable site)
 *
 * Release data is answered with `Access-Control-Allow-Origin: *`, as a static site would.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoRelease } from '../../scripts/make-demo-release.js';
import { DEFAULT_RELEASE_DIR, DEMO_PUBLIC_KEY, loadDemoRelease } from '../../scripts/make-demo-release.js';
import { listen, readBody, sendBytes, sendText } from './http-util.js';
import { mirrorPrefixes, type MirrorPrefix } from './mirror.js';

export const DEFAULT_SITE_PORT = 8470;
export const DESCRIPTION_PATH = '/install/v2/Tails/amd64/stable/latest.json';
const DOWNLOAD_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'site', 'download.html');
/** The website widget's build output (build/webpack.embed.js), served at /embed/ for the download page. */
const EMBED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'embed');

export interface SiteMode {
  /** Who signed the served description: the pinned demo key, the rogue key, or nobody (.sig 404). */
  descriptionSigner: 'pinned' | 'rogue' | 'none';
  /** Which description: 7.2, 7.1 (validly signed, older: rollback), non-JSON bytes, or 404. */
  description: 'current' | 'old' | 'garbage' | 'missing';
  /** The image signatures under /torrents/files/. */
  imageSignature: 'good' | 'rogue' | 'missing';
  /** 'down': the site cannot be reached (every connection but /__control is reset). */
  reachable: 'up' | 'down';
}

export const DEFAULT_SITE_MODE: Readonly<SiteMode> = Object.freeze({
  descriptionSigner: 'pinned',
  description: 'current',
  imageSignature: 'good',
  reachable: 'up',
});

const ALLOWED: { [K in keyof SiteMode]: readonly SiteMode[K][] } = {
  descriptionSigner: ['pinned', 'rogue', 'none'],
  description: ['current', 'old', 'garbage', 'missing'],
  imageSignature: ['good', 'rogue', 'missing'],
  reachable: ['up', 'down'],
};

export interface SiteOptions {
  port?: number;
  releaseDir?: string;
  release?: DemoRelease;
  /** Mirror pool entries; default: every prefix of a mirror at http://127.0.0.1:8471. */
  mirrors?: MirrorPrefix[];
  log?: (line: string) => void;
}

export interface OfficialSite {
  url: string;
  port: number;
  release: DemoRelease;
  mode(): SiteMode;
  /** Change modes (the same as POST /__control); returns the new mode. */
  setMode(change: Partial<SiteMode> | 'reset'): SiteMode;
  close(): Promise<void>;
}

/** Validate a control message; throws with a specific reason. */
export function parseModeChange(json: unknown): Partial<SiteMode> | 'reset' {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected a JSON object');
  const obj = json as Record<string, unknown>;
  if (obj.reset === true) return 'reset';
  const change: Partial<SiteMode> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!(key in ALLOWED))
      throw new Error(`unknown setting ${JSON.stringify(key)} (known: ${Object.keys(ALLOWED).join(', ')}, reset)`);
    const allowed = ALLOWED[key as keyof SiteMode] as readonly unknown[];
    if (!allowed.includes(value)) throw new Error(`${key} must be one of ${allowed.join(', ')}`);
    (change as Record<string, unknown>)[key] = value;
  }
  return change;
}

/** Change a running site's mode over HTTP (for tests that only know the URL). */
export async function setSiteMode(siteUrl: string, change: Partial<SiteMode> | 'reset'): Promise<SiteMode> {
  const response = await fetch(`${siteUrl.replace(/\/+$/, '')}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(change === 'reset' ? { reset: true } : change),
  });
  const body = (await response.json()) as { mode?: SiteMode; error?: string };
  if (!response.ok || !body.mode) throw new Error(`control request failed: ${body.error ?? response.status}`);
  return body.mode;
}

function humanSize(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startOfficialSite(options: SiteOptions = {}): Promise<OfficialSite> {
  const release = options.release ?? (await loadDemoRelease(options.releaseDir ?? DEFAULT_RELEASE_DIR));
  const mirrors = options.mirrors ?? mirrorPrefixes('http://127.0.0.1:8471');
  const goodMirror = [...mirrors].sort((a, b) => b.weight - a.weight)[0];
  if (!goodMirror) throw new Error('official site: at least one mirror is needed');
  let mode: SiteMode = { ...DEFAULT_SITE_MODE };

  const releaseHeaders = { 'Access-Control-Allow-Origin': '*' };

  async function downloadPage(): Promise<string> {
    const template = await readFile(DOWNLOAD_PAGE, 'utf8');
    const current = release.images.filter((i) => i.version === release.current);
    const img = current.find((i) => i.type === 'img')!;
    const iso = current.find((i) => i.type === 'iso')!;
    const on = (prefix: string, mirrorPath: string) => `${prefix}${mirrorPath}`;
    const rows = mirrors
      .map((m) => {
        const name = m.urlPrefix.replace(/^https?:\/\/[^/]+\//, '').replace(/\/tails\/$/, '');
        return (
          `    <tr><td>${escapeHtml(name)}${m.weight > 0 ? '' : ' (weight 0)'}</td>` +
          `<td><a data-testid="mirror-${escapeHtml(name)}-img" href="${escapeHtml(on(m.urlPrefix, img.mirrorPath))}">${escapeHtml(img.name)}</a></td>` +
          `<td><a data-testid="mirror-${escapeHtml(name)}-iso" href="${escapeHtml(on(m.urlPrefix, iso.mirrorPath))}">${escapeHtml(iso.name)}</a></td></tr>`
        );
      })
      .join('\n');
    const values: Record<string, string> = {
      VERSION: release.current,
      FINGERPRINT: release.pinnedFingerprint,
      IMG_URL: on(goodMirror!.urlPrefix, img.mirrorPath),
      ISO_URL: on(goodMirror!.urlPrefix, iso.mirrorPath),
      IMG_SIZE: humanSize(img.size),
      ISO_SIZE: humanSize(iso.size),
      IMG_SIG_URL: `/torrents/files/${img.name}.sig`,
      ISO_SIG_URL: `/torrents/files/${iso.name}.sig`,
    };
    return template
      .replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => (key in values ? escapeHtml(values[key]!) : whole))
      .replace('{{MIRROR_ROWS}}', rows);
  }

  function descriptionFile(): string | undefined {
    if (mode.description === 'missing') return undefined;
    return release.descriptions[mode.description].file;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    options.log?.(`site: ${req.method} ${url.pathname}`);
    const p = url.pathname;

    if (p === '/__control') {
      if (req.method === 'GET')
        return sendBytes(res, 200, JSON.stringify({ mode }), { 'Content-Type': 'application/json' });
      if (req.method !== 'POST') return sendText(res, 405, 'method not allowed\n');
      try {
        const change = parseModeChange(JSON.parse(await readBody(req)));
        site.setMode(change);
        return sendBytes(res, 200, JSON.stringify({ mode }), { 'Content-Type': 'application/json' });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return sendBytes(res, 400, JSON.stringify({ error: message }), { 'Content-Type': 'application/json' });
      }
    }
    if (mode.reachable === 'down') return void req.socket.destroy();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...releaseHeaders, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Content-Length': 0 });
      return void res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed\n');

    if (p === '/') {
      res.writeHead(302, { Location: '/install/', 'Content-Length': 0 });
      return void res.end();
    }
    if (p === '/install/' || p === '/install' || p === '/install/index.html') {
      return sendBytes(res, 200, await downloadPage(), { 'Content-Type': 'text/html; charset=utf-8' });
    }
    if (p === DESCRIPTION_PATH) {
      const file = descriptionFile();
      if (!file) return sendText(res, 404, 'not found\n');
      return sendBytes(res, 200, await readFile(file), { ...releaseHeaders, 'Content-Type': 'application/json' });
    }
    if (p === `${DESCRIPTION_PATH}.sig`) {
      const file = descriptionFile();
      const desc = mode.description === 'missing' ? undefined : release.descriptions[mode.description];
      if (!file || !desc || mode.descriptionSigner === 'none') return sendText(res, 404, 'not found\n');
      const sig = mode.descriptionSigner === 'rogue' ? desc.rogueSignature : desc.signature;
      return sendBytes(res, 200, await readFile(sig), {
        ...releaseHeaders,
        'Content-Type': 'application/pgp-signature',
      });
    }
    const sigMatch = /^\/torrents\/files\/([^/]+)\.sig$/.exec(p);
    if (sigMatch) {
      const image = release.images.find((i) => i.name === sigMatch[1]);
      if (!image || mode.imageSignature === 'missing') return sendText(res, 404, 'not found\n');
      const sig = mode.imageSignature === 'rogue' ? image.rogueSignature : image.signature;
      return sendBytes(res, 200, await readFile(sig), {
        ...releaseHeaders,
        'Content-Type': 'application/pgp-signature',
      });
    }
    if (p === '/mirrors.json') {
      const pool = { version: 2, mirrors: mirrors.map((m) => ({ url_prefix: m.urlPrefix, weight: m.weight })) };
      return sendBytes(res, 200, `${JSON.stringify(pool, null, 2)}\n`, {
        ...releaseHeaders,
        'Content-Type': 'application/json',
      });
    }
    if (p === '/demo-signing.key') {
      return sendBytes(res, 200, await readFile(DEMO_PUBLIC_KEY), {
        ...releaseHeaders,
        'Content-Type': 'application/pgp-keys',
      });
    }
    const embedFile = /^\/embed\/([A-Za-z0-9_-]+\.js)$/.exec(p)?.[1];
    if (embedFile) {
      const script = await readFile(path.join(EMBED_DIR, embedFile)).catch(() => undefined);
      if (!script) return sendText(res, 404, 'not found (build the widget: npx webpack --config-name embed)\n');
      return sendBytes(res, 200, script, { 'Content-Type': 'text/javascript; charset=utf-8' });
    }
    if (p.startsWith('/tails/')) {
      // Like Tails' download redirector: official URLs in latest.json lead to a mirror.
      res.writeHead(302, { Location: `${goodMirror!.urlPrefix}${p.slice('/tails/'.length)}`, 'Content-Length': 0 });
      return void res.end();
    }
    return sendText(res, 404, 'not found\n');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`site: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
    });
  });
  const listening = await listen(server, options.port ?? DEFAULT_SITE_PORT, 'official site');

  const site: OfficialSite = {
    url: listening.url,
    port: listening.port,
    release,
    mode: () => ({ ...mode }),
    setMode(change) {
      mode = change === 'reset' ? { ...DEFAULT_SITE_MODE } : { ...mode, ...change };
      options.log?.(`site: mode ${JSON.stringify(mode)}`);
      return { ...mode };
    },
    close: () => listening.close(),
  };
  return site;
}
