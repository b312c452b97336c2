/**
 * A loopback download mirror with one URL prefix per behaviour, each a separate `url_prefix`
 * in the official site's mirrors.json:
 *
 *   /good/tails/        the release as published
 *   /stale/tails/       only the previous release (7.1); the current one is 404
 *   /truncated/tails/   the first 100 MiB, served as a complete response (matching Content-Length)
 *   /rogue/tails/       one byte changed, same size
 *   /bad-length/tails/  Content-Length 1 MiB larger than the bytes sent; then the connection closes
 *   /redirect/tails/    302 to http://localhost:<port>/good/tails/… (another host name)
 *   /missing/tails/     404 for everything
 *   /drop/tails/        connection dropped halfway (requests with a Range header are served
 *                       normally, so a browser's resume succeeds)
 *   /slow/tails/        drips (256 KiB/s, or ?rate=<bytes per second>), for timeouts
 *   /pool-redirect/tails/  302 to the same file on /good/tails/ (another mirror of the pool)
 *   /outage/tails/      connection dropped halfway and then "the network is down": every request
 *                       to this server fails (connection reset) until the network is up again
 *                       (setNetwork(true), or POST /__control {"network":"up"}); Range requests
 *                       are served normally
 *
 * Runtime switch: POST /__control {"network":"up"|"down"} (GET shows it).
 * Any prefix also takes `?fault=<mode>` to behave like another prefix for one request.
 * Directories (`/<mode>/`, `/<mode>/tails/stable/`, …) answer with an autoindex-like HTML
 * listing of what that prefix serves (the stale one lists only the previous release).
 * Files: stable/tails-amd64-<v>/tails-amd64-<v>.{img,iso} and their .sig. HTTP Range is supported
 * (single range, If-Range), HEAD too; file bytes are streamed from disk in constant memory.
 */
import http from 'node:http';
import type { DemoRelease, ReleaseImage } from '../../scripts/make-demo-release.js';
import { DEFAULT_RELEASE_DIR, TRUNCATED_BYTES, loadDemoRelease } from '../../scripts/make-demo-release.js';
import { listen, parseRange, readBody, sendBytes, sendText, streamFile, type StreamPlan } from './http-util.js';
import { readFile } from 'node:fs/promises';

export const MIRROR_MODES = [
  'good',
  'stale',
  'truncated',
  'rogue',
  'bad-length',
  'redirect',
  'missing',
  'drop',
  'slow',
  'pool-redirect',
  'outage',
] as const;
export type MirrorMode = (typeof MIRROR_MODES)[number];

export const DEFAULT_MIRROR_PORT = 8471;
export const DEFAULT_SLOW_BYTES_PER_SECOND = 256 * 1024;
/** How much more the bad-length mirror announces than it sends. */
export const BAD_LENGTH_EXCESS = 1024 * 1024;
const LAST_MODIFIED = 'Sat, 01 Nov 2026 00:00:00 GMT';

export interface MirrorPrefix {
  mode: MirrorMode;
  urlPrefix: string; // http://127.0.0.1:8471/good/tails/
  weight: number;
}

/**
 * The pool entries for a mirror at `baseUrl`. Only the good mirror gets weight: weight 0 keeps
 * the faulty ones out of random picks while downloads from them still count as mirror downloads.
 */
export function mirrorPrefixes(baseUrl: string): MirrorPrefix[] {
  const base = baseUrl.replace(/\/+$/, '');
  return MIRROR_MODES.map((mode) => ({ mode, urlPrefix: `${base}/${mode}/tails/`, weight: mode === 'good' ? 10 : 0 }));
}

export interface MirrorOptions {
  port?: number;
  releaseDir?: string;
  /** An already loaded release (skips reading the manifest). */
  release?: DemoRelease;
  slowBytesPerSecond?: number;
  /** Where /redirect/ points; default http://localhost:<port>/good/tails/. */
  redirectPrefix?: string;
  log?: (line: string) => void;
}

export interface MirrorServer {
  url: string;
  port: number;
  prefixes: MirrorPrefix[];
  release: DemoRelease;
  /** The URL of a release file on the mirror with `mode`. */
  urlFor(mode: MirrorMode, image: Pick<ReleaseImage, 'mirrorPath'> | string): string;
  /** Whether "the network" to this server is up (false after an /outage/ drop). */
  networkUp(): boolean;
  setNetwork(up: boolean): void;
  close(): Promise<void>;
}

export async function startMirror(options: MirrorOptions = {}): Promise<MirrorServer> {
  const release = options.release ?? (await loadDemoRelease(options.releaseDir ?? DEFAULT_RELEASE_DIR));
  const slowRate = options.slowBytesPerSecond ?? DEFAULT_SLOW_BYTES_PER_SECOND;
  let redirectPrefix = options.redirectPrefix;
  let networkUp = true;
  const setNetwork = (up: boolean) => {
    networkUp = up;
    options.log?.(`mirror: network ${up ? 'up' : 'down'}`);
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`mirror: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.socket?.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mirror.invalid');
    options.log?.(
      `mirror: ${req.method} ${url.pathname}${url.search}${req.headers.range ? ` (${req.headers.range})` : ''}`,
    );
    if (url.pathname === '/__control') return control(req, res);
    // The network is down: no answer at all, as when a cable is pulled (the browser sees a reset).
    if (!networkUp) return void req.socket.destroy();
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed\n');
    if (url.pathname === '/')
      return sendText(
        res,
        200,
        `${mirrorPrefixes(listening.url)
          .map((p) => p.urlPrefix)
          .join('\n')}\n`,
      );

    const dirListing = /^\/([a-z-]+)\/(?:tails\/(.*))?$/.exec(url.pathname);
    if (dirListing && (dirListing[2] === undefined || dirListing[2] === '' || dirListing[2].endsWith('/'))) {
      const listMode = dirListing[1] as MirrorMode;
      if (!MIRROR_MODES.includes(listMode) || listMode === 'missing' || listMode === 'redirect')
        return sendText(res, 404, 'not found\n');
      return sendListing(res, url.pathname, listMode, dirListing[2] === undefined ? undefined : dirListing[2]);
    }

    const m = /^\/([a-z-]+)\/tails\/(.+)$/.exec(url.pathname);
    const prefixMode = m?.[1] as MirrorMode | undefined;
    if (!m || !prefixMode || !MIRROR_MODES.includes(prefixMode)) return sendText(res, 404, 'no such mirror\n');
    const fault = url.searchParams.get('fault');
    const mode: MirrorMode =
      fault && (MIRROR_MODES as readonly string[]).includes(fault) ? (fault as MirrorMode) : prefixMode;
    const rest = m[2]!;

    if (mode === 'missing') return sendText(res, 404, 'not found\n');
    if (mode === 'pool-redirect') {
      res.writeHead(302, { Location: `${listening.url}/good/tails/${rest}`, 'Content-Length': 0 });
      return void res.end();
    }
    if (mode === 'redirect') {
      const target = `${redirectPrefix}${rest}${url.search.replace(/([?&])fault=redirect(&|$)/, '$1').replace(/[?&]$/, '')}`;
      res.writeHead(302, { Location: target, 'Content-Length': 0 });
      return void res.end();
    }

    const isSig = rest.endsWith('.sig');
    const image = release.images.find((i) => i.mirrorPath === (isSig ? rest.slice(0, -4) : rest));
    if (!image) return sendText(res, 404, 'not found\n');
    if (mode === 'stale' && image.version !== release.previous)
      return sendText(res, 404, 'not found (this mirror is stale)\n');

    if (isSig) {
      return sendBytes(res, 200, await readFile(image.signature), { 'Content-Type': 'application/pgp-signature' });
    }
    serveImage(req, res, image, mode, url);
  }

  /** An autoindex-like page: the entries directly below `dir` of the tree (undefined: the prefix's parent). */
  function sendListing(res: http.ServerResponse, pathname: string, mode: MirrorMode, dir: string | undefined): void {
    const served = release.images.filter((i) => mode !== 'stale' || i.version === release.previous);
    const paths = served.flatMap((i) => [i.mirrorPath, `${i.mirrorPath}.sig`]).map((p) => `tails/${p}`);
    const base = dir === undefined ? '' : `tails/${dir}`;
    const children = [
      ...new Set(
        paths
          .filter((p) => p.startsWith(base))
          .map((p) => {
            const rest = p.slice(base.length);
            return rest.includes('/') ? `${rest.slice(0, rest.indexOf('/'))}/` : rest;
          }),
      ),
    ].sort();
    if (children.length === 0) return sendText(res, 404, 'not found\n');
    const links = children.map((c) => `<a href="${encodeURI(c)}">${c}</a>`).join('\n');
    sendBytes(
      res,
      200,
      `<html><head><title>Index of ${pathname}</title></head><body><pre><a href="../">../</a>\n${links}</pre></body></html>\n`,
      {
        'Content-Type': 'text/html; charset=utf-8',
      },
    );
  }

  function serveImage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    image: ReleaseImage,
    mode: MirrorMode,
    url: URL,
  ): void {
    const size = mode === 'truncated' ? Math.min(image.size, TRUNCATED_BYTES) : image.size;
    const etag = `"${image.sha256.slice(0, 16)}-${mode}"`;
    const base: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${image.name}"`,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': LAST_MODIFIED,
      'Cache-Control': 'no-store',
    };
    const ifRange = req.headers['if-range'];
    const range =
      ifRange && ifRange !== etag && ifRange !== LAST_MODIFIED
        ? ({ kind: 'full' } as const)
        : parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
      return void res.end();
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end + 1 : size;
    const plan: StreamPlan = { file: image.file, start, end };
    let contentLength = end - start;
    if (mode === 'rogue') plan.flipAt = release.rogueByteOffset;
    if (mode === 'bad-length') {
      contentLength += BAD_LENGTH_EXCESS;
      plan.dropAfter = end - start;
    }
    if ((mode === 'drop' || mode === 'outage') && range.kind === 'full') plan.dropAfter = Math.floor(size / 2);
    if (mode === 'slow') {
      const rate = Number(url.searchParams.get('rate'));
      plan.bytesPerSecond = Number.isFinite(rate) && rate > 0 ? rate : slowRate;
    }
    const headers: http.OutgoingHttpHeaders = { ...base, 'Content-Length': contentLength };
    if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    const streamed = streamFile(res, plan);
    // The connection broke because the network went down: it stays down until switched back.
    if (mode === 'outage' && plan.dropAfter !== undefined) void streamed.finally(() => setNetwork(false));
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        body = undefined;
      }
      const network = (body as { network?: unknown } | undefined)?.network;
      if (network !== 'up' && network !== 'down') return sendText(res, 400, 'expected {"network":"up"|"down"}\n');
      setNetwork(network === 'up');
    } else if (req.method !== 'GET') {
      return sendText(res, 405, 'method not allowed\n');
    }
    return sendBytes(res, 200, JSON.stringify({ network: networkUp ? 'up' : 'down' }), {
      'Content-Type': 'application/json',
    });
  }

  const listening = await listen(server, options.port ?? DEFAULT_MIRROR_PORT, 'mirror');
  redirectPrefix ??= `http://localhost:${listening.port}/good/tails/`;
  return {
    url: listening.url,
    port: listening.port,
    prefixes: mirrorPrefixes(listening.url),
    release,
    urlFor(mode, image) {
      return `${listening.url}/${mode}/tails/${typeof image === 'string' ? image : image.mirrorPath}`;
    },
    networkUp: () => networkUp,
    setNetwork,
    close: () => listening.close(),
  };
}
