import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { createCappedFetcher, isAllowedUrl } from '../../../src/core/net/capped-fetch.js';

let server: Server;
let other: Server;
let otherPort = 0;
let base: string;
const sockets = new Set<Socket>();
const seenHeaders: Record<string, IncomingMessage['headers']> = {};

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"hello":"world"}');
  },
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-length': String(10 << 20) });
    res.end(Buffer.alloc(10 << 20));
  },
  // Claims a small length, then keeps sending (chunked, no declared length).
  '/lying': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent > 8 << 20) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(Buffer.alloc(64 << 10));
      sent += 64 << 10;
    }, 1);
    res.on('close', () => clearInterval(timer));
  },
  '/drip': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    let n = 0;
    const timer = setInterval(() => {
      if (res.destroyed || n >= 100) {
        clearInterval(timer);
        return;
      }
      res.write('x');
      n++;
    }, 50);
    res.on('close', () => clearInterval(timer));
  },
  '/404': (_req, res) => {
    res.writeHead(404);
    res.end('not found');
  },
  '/redirect-ok': (_req, res) => {
    res.writeHead(302, { location: '/ok' });
    res.end();
  },
  '/redirect-plain': (_req, res) => {
    // To plain http on a host outside the allowed loopback names (127.0.0.2 is loopback on
    // Linux, so the transfer itself succeeds and only the policy can refuse it).
    res.writeHead(302, { location: `http://127.0.0.2:${otherPort}/ok` });
    res.end();
  },
  '/drop': (req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    setTimeout(() => req.socket.destroy(), 20);
  },
  '/headers': (req, res) => {
    seenHeaders.last = req.headers;
    res.writeHead(200);
    res.end('ok');
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res);
    else {
      res.writeHead(500);
      res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  other = createServer((_req, res) => {
    res.writeHead(200);
    res.end('served over plain http');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
  otherPort = (other.address() as AddressInfo).port;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => other.close(() => resolve()));
});

const fetcher = () => createCappedFetcher(fetch, { allowLoopbackHttp: true, userAgent: 'iso-verify-test' });
const opts = { maxBytes: 1 << 20, timeoutMs: 5000 };

async function expectCode(p: Promise<unknown>, code: string, detail?: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IsoVerifyError);
  expect((caught as IsoVerifyError).code).toBe(code);
  if (detail) expect((caught as IsoVerifyError).detail).toMatch(detail);
}

describe('createCappedFetcher against a real HTTP server', () => {
  it('fetches a small body with the final URL and a timestamp', async () => {
    const got = await fetcher()(`${base}/ok`, opts);
    expect(new TextDecoder().decode(got.bytes)).toBe('{"hello":"world"}');
    expect(got.source).toBe(`${base}/ok`);
    expect(Number.isFinite(Date.parse(got.fetchedAt))).toBe(true);
  });

  it('sends the user agent and no credentials', async () => {
    await fetcher()(`${base}/headers`, opts);
    expect(seenHeaders.last?.['user-agent']).toBe('iso-verify-test');
    expect(seenHeaders.last?.cookie).toBeUndefined();
    expect(seenHeaders.last?.authorization).toBeUndefined();
  });

  it('rejects a declared Content-Length over the cap up front', async () => {
    await expectCode(fetcher()(`${base}/huge`, opts), 'fetch-too-large', /declares/);
  });

  it('counts bytes while streaming when no length is declared', async () => {
    await expectCode(fetcher()(`${base}/lying`, opts), 'fetch-too-large', /sent more than/);
  });

  it('bounds the whole transfer in time (slow drip)', async () => {
    const started = Date.now();
    await expectCode(fetcher()(`${base}/drip`, { maxBytes: 1000, timeoutMs: 400 }), 'fetch-timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('honours the caller signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await expectCode(
      fetcher()(`${base}/drip`, { maxBytes: 1000, timeoutMs: 5000, signal: controller.signal }),
      'aborted',
    );
    const already = new AbortController();
    already.abort();
    await expectCode(fetcher()(`${base}/ok`, { ...opts, signal: already.signal }), 'aborted');
  });

  it('reports HTTP status errors with the status', async () => {
    await expectCode(fetcher()(`${base}/404`, opts), 'fetch-http-status', /404/);
  });

  it('follows same-policy redirects and refuses downgrades', async () => {
    const got = await fetcher()(`${base}/redirect-ok`, opts);
    expect(got.source).toBe(`${base}/ok`);
    // The other server answers fine over plain http: only the final-URL check refuses it.
    expect(
      new TextDecoder().decode(
        await fetch(`http://127.0.0.2:${otherPort}/ok`)
          .then((r) => r.arrayBuffer())
          .then((b) => new Uint8Array(b)),
      ),
    ).toBe('served over plain http');
    await expectCode(
      fetcher()(`${base}/redirect-plain`, opts),
      'fetch-insecure-url',
      /redirected to http:\/\/127\.0\.0\.2/,
    );
  });

  it('maps a dropped connection to fetch-failed', async () => {
    await expectCode(fetcher()(`${base}/drop`, opts), 'fetch-failed');
  });

  it('maps connection refused to fetch-failed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expectCode(fetcher()(`http://127.0.0.1:${port}/ok`, opts), 'fetch-failed');
  });

  it('refuses plain http unless loopback is allowed, and never non-loopback http', async () => {
    await expectCode(createCappedFetcher(fetch)(`${base}/ok`, opts), 'fetch-insecure-url');
    await expectCode(fetcher()('http://example.invalid/ok', opts), 'fetch-insecure-url');
    await expectCode(fetcher()('file:///etc/passwd', opts), 'fetch-insecure-url');
    await expectCode(fetcher()('/local/path', opts), 'fetch-insecure-url');
  });
});

describe('createCappedFetcher with a fake fetch', () => {
  it('refuses a final URL that was downgraded to http', async () => {
    const fake = (async () => {
      const res = new Response('data', { status: 200 });
      Object.defineProperty(res, 'url', { value: 'http://mirror.example/latest.json' });
      return res;
    }) as unknown as typeof fetch;
    await expectCode(
      createCappedFetcher(fake)('https://tails.example/latest.json', opts),
      'fetch-insecure-url',
      /redirected to/,
    );
  });

  it('times out even when the fetch implementation ignores the signal', async () => {
    const hang = (() => new Promise(() => undefined)) as unknown as typeof fetch;
    await expectCode(
      createCappedFetcher(hang)('https://tails.example/x', { maxBytes: 10, timeoutMs: 100 }),
      'fetch-timeout',
    );
  });

  it('passes credentials omit and cache no-store', async () => {
    let init: RequestInit | undefined;
    const spy = (async (_url: string, i: RequestInit) => {
      init = i;
      return new Response('x');
    }) as unknown as typeof fetch;
    await createCappedFetcher(spy)('https://tails.example/x', opts);
    expect(init?.credentials).toBe('omit');
    expect(init?.cache).toBe('no-store');
  });
});

describe('isAllowedUrl', () => {
  it('allows https and loopback http only', () => {
    expect(isAllowedUrl('https://tails.net/x', false)).toBe(true);
    expect(isAllowedUrl('http://127.0.0.1:8470/x', false)).toBe(false);
    for (const u of ['http://127.0.0.1:8470/x', 'http://localhost/x', 'http://[::1]:9/x'])
      expect(isAllowedUrl(u, true), u).toBe(true);
    for (const u of [
      'http://127.0.0.1.evil.example/x',
      'http://10.0.0.1/x',
      'https://u:p@tails.net/x',
      'data:,x',
      'garbage',
    ]) {
      expect(isAllowedUrl(u, true), u).toBe(false);
    }
  });
});
