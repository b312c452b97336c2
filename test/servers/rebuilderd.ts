/**
 * TEST-ONLY fake rebuilderd: serves the v1 routes ISO Verify uses from an in-memory table, on
 * 127.0.0.1, with modes that produce every reproducibility state.
 *
 *   GET /api/v1/meta/public-keys                                  {"current":[pem]}
 *   GET /api/v1/packages/binary?distribution=&name=&architecture=  {"total","records":[…]}
 *   GET /api/v1/builds/{id}                                       the build (built_at, status)
 *   GET /api/v1/builds/{id}/log                                   text
 *   GET /api/v1/builds/{id}/artifacts/{artifact_id}/attestation   the in-toto link
 *
 * Attestations come from Debian's in-toto tools (./rebuilderd-signer.ts), never from the code
 * under test. `startDemoRebuilders` runs the demo profile's three rebuilders (:8481–:8483) with
 * the committed TEST-ONLY keys in test/fixtures/demo-rebuilders/.
 *
 * CLI: `npx tsx test/servers/rebuilderd.ts --demo <image-file>…` (Ctrl-C to stop).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corruptSignature, encodeLink, loadSigner, signRebuildLink, type LinkSigner } from './rebuilderd-signer.js';

export interface FakeBinaryRecord {
  id: number;
  name: string;
  version: string;
  distribution: string;
  release: string | null;
  component: string | null;
  architecture: string;
  url: string;
  status: 'GOOD' | 'BAD' | 'UNKWN' | null;
  build_id: number | null;
  artifact_id: number | null;
  diffoscope_log_id: number | null;
  attestation_log_id: number | null;
  last_seen: string;
  seen_in_last_sync: boolean;
}

export interface FakeRebuild {
  record: FakeBinaryRecord;
  /** Served at the attestation route of record.build_id / record.artifact_id. */
  attestation?: Uint8Array;
  log?: string;
  /** Naive UTC timestamp, as rebuilderd writes it. */
  builtAt?: string;
}

/**
 * How the whole server (or only its attestation route, with `failOn: 'attestation'`) misbehaves:
 * 'http-500' answers 500; 'drop' destroys the connection; 'slow' answers after `slowMs`;
 * 'oversized' sends a valid-looking body larger than the 1 MiB caps; 'garbage' sends non-JSON.
 */
export type FakeBehaviour = 'normal' | 'http-500' | 'drop' | 'slow' | 'oversized' | 'garbage';

export interface FakeRebuilderdOptions {
  /** 0 or absent: any free port. */
  port?: number;
  records: FakeRebuild[];
  behaviour?: FakeBehaviour;
  failOn?: 'all' | 'attestation';
  slowMs?: number;
  publicKeyPem?: string;
  /** rebuilderd filters names exactly; false returns every record, to test client-side filtering. */
  exactNameFilter?: boolean;
}

export interface FakeRebuilderd {
  url: string;
  port: number;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** rebuilderd's naive UTC timestamp format. */
export function naiveTimestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace('Z', '')
    .replace(/\.(\d{3})$/, '.$1000');
}

const OVERSIZE_BYTES = (1 << 20) + 4096;

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startFakeRebuilderd(options: FakeRebuilderdOptions): Promise<FakeRebuilderd> {
  const requests: string[] = [];
  const behaviour = options.behaviour ?? 'normal';
  const failOn = options.failOn ?? 'all';
  const slowMs = options.slowMs ?? 10_000;
  const pending = new Set<NodeJS.Timeout>();

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname;
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');

    if (route === '/api/v1/meta/public-keys') {
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({ current: options.publicKeyPem ? [options.publicKeyPem] : [] }),
      );
    }
    if (route === '/api/v1/packages/binary') {
      const q = url.searchParams;
      const records = options.records
        .map((r) => r.record)
        .filter((r) => !q.has('distribution') || r.distribution === q.get('distribution'))
        .filter((r) => !q.has('architecture') || r.architecture === q.get('architecture'))
        .filter((r) => options.exactNameFilter === false || !q.has('name') || r.name === q.get('name'));
      return send(res, 200, 'application/json', JSON.stringify({ total: records.length, records }));
    }
    let m = /^\/api\/v1\/builds\/(\d+)(\/log)?$/.exec(route);
    if (m) {
      const build = options.records.find((r) => r.record.build_id === Number(m![1]));
      if (!build) return send(res, 404, 'text/plain', 'not found');
      if (m[2])
        return send(res, 200, 'text/plain; charset=utf-8', build.log ?? `build ${m[1]} of ${build.record.name}\n`);
      const r = build.record;
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({
          id: r.build_id,
          name: r.name,
          version: r.version,
          distribution: r.distribution,
          release: r.release,
          component: r.component,
          architecture: r.architecture,
          backend: r.distribution,
          retries: 0,
          started_at: build.builtAt ?? r.last_seen,
          built_at: build.builtAt ?? r.last_seen,
          status: r.status,
        }),
      );
    }
    m = /^\/api\/v1\/builds\/(\d+)\/artifacts\/(\d+)\/attestation$/.exec(route);
    if (m) {
      const build = options.records.find(
        (r) => r.record.build_id === Number(m![1]) && r.record.artifact_id === Number(m![2]),
      );
      if (!build?.attestation) return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, 'application/json; charset=utf-8', build.attestation);
    }
    send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const isAttestation = /\/attestation$/.test(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const misbehave = behaviour !== 'normal' && (failOn === 'all' || isAttestation);
    if (!misbehave) return answer(req, res);
    switch (behaviour) {
      case 'http-500':
        return send(res, 500, 'text/plain', 'internal server error');
      case 'drop':
        return req.socket.destroy();
      case 'garbage':
        return send(res, 200, 'application/json', '<html>not json</html>');
      case 'oversized': {
        // A well-formed JSON body whose only fault is its size.
        const padding = 'x'.repeat(OVERSIZE_BYTES);
        return send(res, 200, 'application/json', JSON.stringify({ total: 0, records: [], padding }));
      }
      case 'slow': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          if (!res.destroyed) answer(req, res);
        }, slowMs);
        pending.add(timer);
        return;
      }
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a fake rebuilder knows about one image file. */
export type RebuildScenario =
  | 'good' // GOOD, attestation over these bytes signed by worker (optional) + rebuilder
  | 'other-bytes' // GOOD, signed attestation naming different bytes under the same name
  | 'bad' // BAD, no attestation
  | 'pending' // scheduled, never built (status null)
  | 'unkwn' // status UNKWN
  | 'none' // no record at all
  | 'no-attestation' // GOOD, but attestation_log_id null
  | 'bad-signature' // GOOD, rebuilder's signature corrupted
  | 'other-key' // GOOD, signed only by `otherSigner` (not the pinned key)
  | 'unsigned' // GOOD, signatures []
  | 'malformed'; // GOOD, attestation is not valid JSON

export interface RebuildRecordOptions {
  fileName: string;
  /** The image: a path or its bytes. */
  filePath?: string;
  bytes?: Uint8Array;
  scenario: RebuildScenario;
  /** The rebuilder's own key (the pinned one). */
  signer: LinkSigner;
  /** The build worker's key; its signature is added first, as rebuilderd does. */
  workerSigner?: LinkSigner;
  /** Required for 'other-key'. */
  otherSigner?: LinkSigner;
  version?: string;
  buildId?: number;
  distribution?: string;
  architecture?: string;
  release?: string;
  builtAt?: string;
}

function versionOf(fileName: string): string {
  return /^[a-z]+-[a-z0-9]+-(.+)\.(?:img|iso)$/.exec(fileName)?.[1] ?? '0';
}

/** The fake rebuilderd rows for one image file in one scenario (signing with in-toto-run). */
export async function makeRebuildRecords(opts: RebuildRecordOptions): Promise<FakeRebuild[]> {
  if (opts.scenario === 'none') return [];
  const buildId = opts.buildId ?? 1;
  const builtAt = opts.builtAt ?? naiveTimestamp();
  const scheduledOnly = opts.scenario === 'pending' || opts.scenario === 'unkwn';
  const status = scheduledOnly
    ? opts.scenario === 'unkwn'
      ? 'UNKWN'
      : null
    : opts.scenario === 'bad'
      ? 'BAD'
      : 'GOOD';
  const hasAttestation = status === 'GOOD' && opts.scenario !== 'no-attestation';
  const record: FakeBinaryRecord = {
    id: buildId,
    name: opts.fileName,
    version: opts.version ?? versionOf(opts.fileName),
    distribution: opts.distribution ?? 'tails',
    release: opts.release ?? 'stable',
    component: null,
    architecture: opts.architecture ?? 'amd64',
    url: `https://download.tails.net/tails/stable/${opts.fileName}`,
    status,
    build_id: scheduledOnly ? null : buildId,
    artifact_id: scheduledOnly ? null : buildId,
    diffoscope_log_id: null,
    attestation_log_id: hasAttestation ? buildId : null,
    last_seen: builtAt,
    seen_in_last_sync: true,
  };
  const rebuild: FakeRebuild = { record, builtAt, log: `rebuild of ${opts.fileName}: ${status ?? 'queued'}\n` };
  if (!hasAttestation) return [rebuild];

  const signers = [...(opts.workerSigner ? [opts.workerSigner] : []), opts.signer];
  const source = {
    fileName: opts.fileName,
    ...(opts.filePath ? { filePath: opts.filePath } : {}),
    ...(opts.bytes ? { bytes: opts.bytes } : {}),
  };
  switch (opts.scenario) {
    case 'good':
      rebuild.attestation = encodeLink(await signRebuildLink({ signers, ...source }));
      break;
    case 'other-bytes':
      rebuild.attestation = encodeLink(
        await signRebuildLink({ signers, fileName: opts.fileName, bytes: new Uint8Array(randomBytes(4096)) }),
      );
      break;
    case 'bad-signature':
      rebuild.attestation = encodeLink(
        corruptSignature(await signRebuildLink({ signers, ...source }), opts.signer.keyId),
      );
      break;
    case 'other-key': {
      if (!opts.otherSigner) throw new Error("scenario 'other-key' needs otherSigner");
      const others = [...(opts.workerSigner ? [opts.workerSigner] : []), opts.otherSigner];
      rebuild.attestation = encodeLink(await signRebuildLink({ signers: others, ...source }));
      break;
    }
    case 'unsigned': {
      const link = await signRebuildLink({ signers, ...source });
      rebuild.attestation = encodeLink({ signatures: [], signed: link.signed });
      break;
    }
    case 'malformed': {
      const text = new TextDecoder().decode(encodeLink(await signRebuildLink({ signers, ...source })));
      rebuild.attestation = new TextEncoder().encode(text.slice(0, Math.floor(text.length / 2)));
      break;
    }
  }
  return [rebuild];
}

// ---------------------------------------------------------------------------------------------
// Demo profile: three rebuilders with committed TEST-ONLY keys.

export const DEMO_REBUILDERS = [
  { name: 'rebuilder-a', port: 8481 },
  { name: 'rebuilder-b', port: 8482 },
  { name: 'rebuilder-c', port: 8483 },
] as const;

export const DEMO_REBUILDER_KEY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/demo-rebuilders',
);

export async function loadDemoSigner(name: string): Promise<LinkSigner> {
  return loadSigner(path.join(DEMO_REBUILDER_KEY_DIR, name));
}

export interface DemoImage {
  fileName: string;
  filePath: string;
}

/**
 * Start the demo profile's rebuilders. By default a and b reproduce every image and c has
 * only scheduled it, so the demo's threshold of 2 is met with one rebuilder still pending.
 */
export async function startDemoRebuilders(opts: {
  images: DemoImage[];
  scenarios?: [RebuildScenario, RebuildScenario, RebuildScenario];
  /** Override the ports (e.g. 0 for tests). */
  ports?: [number, number, number];
}): Promise<FakeRebuilderd[]> {
  const scenarios = opts.scenarios ?? ['good', 'good', 'pending'];
  const started: FakeRebuilderd[] = [];
  try {
    for (const [i, demo] of DEMO_REBUILDERS.entries()) {
      const signer = await loadDemoSigner(demo.name);
      const records = (
        await Promise.all(
          opts.images.map((image, j) =>
            makeRebuildRecords({ ...image, scenario: scenarios[i]!, signer, buildId: 100 * (i + 1) + j }),
          ),
        )
      ).flat();
      started.push(
        await startFakeRebuilderd({ port: opts.ports?.[i] ?? demo.port, records, publicKeyPem: signer.publicKeyPem }),
      );
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
  return started;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args[0] !== '--demo' || args.length < 2) {
    console.error('usage: tsx test/servers/rebuilderd.ts --demo <image-file>…');
    process.exit(2);
  }
  const images = args.slice(1).map((p) => ({ fileName: path.basename(p), filePath: p }));
  const servers = await startDemoRebuilders({ images });
  for (const s of servers) console.log(`fake rebuilderd ${s.url}`);
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
