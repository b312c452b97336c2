/**
 * TEST-ONLY: a static reproducer, as any static HTTPS host would serve it (files only, no API,
 * `Access-Control-Allow-Origin: *` as GitHub Pages sends). Links are made with the product's
 * own `iso-verify attest` code (src/cli/attest/), so the demo exercises what a reproducer runs.
 *
 * `startDemoReproducer({ images })` runs the demo profile's static reproducer on :8484 with the
 * committed TEST-ONLY key test/fixtures/demo-rebuilders/reproducer-d.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeReproducerLink } from '../../src/cli/attest/make-link.js';
import { publishLink } from '../../src/cli/attest/publish.js';
import { publicKeyPem, readSigningKey, type SigningKey } from '../../src/cli/attest/signing-key.js';
import { listen, sendBytes, sendText } from './http-util.js';

export const DEMO_REPRODUCER = { name: 'reproducer-d', port: 8484, path: '/attestations' } as const;
export const DEMO_REPRODUCER_KEY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/demo-rebuilders/reproducer-d',
);

export interface StaticHost {
  url: string;
  port: number;
  /** Request paths, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve `dir` read-only over loopback HTTP; only GET/HEAD, no directory listings, no escaping `dir`. */
export async function startStaticHost(dir: string, options: { port?: number } = {}): Promise<StaticHost> {
  const root = path.resolve(dir);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
      let file: string;
      try {
        file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
      } catch {
        return sendText(res, 400, 'bad path');
      }
      if (file !== root && !file.startsWith(`${root}${path.sep}`)) return sendText(res, 404, 'not found');
      try {
        const body = await readFile(file);
        const type = file.endsWith('.json') || file.endsWith('.link') ? 'application/json' : 'application/octet-stream';
        sendBytes(res, 200, body, {
          'Content-Type': type,
          'Access-Control-Allow-Origin': '*',
          'Cache-Control': 'no-store',
        });
      } catch {
        sendText(res, 404, 'not found');
      }
    })();
  });
  const listening = await listen(server, options.port ?? 0, 'static reproducer');
  return { url: listening.url, port: listening.port, requests, close: () => listening.close() };
}

export interface ReproducedImage {
  fileName: string;
  filePath: string;
  product: string;
  version: string;
}

/** Sign and publish links for `images` into `dir` (the layout of docs/reproduce.md). */
export async function publishReproductions(dir: string, key: SigningKey, images: ReproducedImage[]): Promise<void> {
  for (const image of images) {
    // Streamed: a real-sized image (2 GiB, bench:verdict) is larger than one Buffer may be.
    const h256 = createHash('sha256');
    const h512 = createHash('sha512');
    for await (const chunk of createReadStream(image.filePath, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      h256.update(chunk);
      h512.update(chunk);
    }
    const sha256 = h256.digest('hex');
    const sha512 = h512.digest('hex');
    const release = { product: image.product, version: image.version, fileName: image.fileName };
    const link = await makeReproducerLink(key, { ...release, sha256, sha512 });
    await publishLink(
      dir,
      release,
      { text: link.text, sha256 },
      { keyId: key.keyId, publicKeyPem: publicKeyPem(key.publicKeyHex) },
    );
  }
}

/** The demo reproducer: links for `images`, served at http://127.0.0.1:8484/attestations/. */
export async function startDemoReproducer(opts: { images: ReproducedImage[]; port?: number }): Promise<StaticHost> {
  const dir = await mkdtemp(path.join(tmpdir(), 'iso-verify-demo-reproducer-'));
  try {
    await publishReproductions(
      path.join(dir, DEMO_REPRODUCER.path.slice(1)),
      await readSigningKey(DEMO_REPRODUCER_KEY),
      opts.images,
    );
    const host = await startStaticHost(dir, { port: opts.port ?? DEMO_REPRODUCER.port });
    return {
      ...host,
      url: `${host.url}${DEMO_REPRODUCER.path}`,
      async close() {
        await host.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
