/**
 * Small pieces shared by the loopback test servers: listening on 127.0.0.1 only, closing with
 * open (slow, dripping) connections, HTTP byte ranges, and streaming a file slice in constant
 * memory with optional faults (a changed byte, a dropped connection, a throttled rate).
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const LOOPBACK = '127.0.0.1';

export interface Listening {
  server: http.Server;
  port: number;
  url: string; // http://127.0.0.1:<port>
  close(): Promise<void>;
}

/** Listen on 127.0.0.1:`port` (0 = any free port); a taken port fails with a clear message. */
export async function listen(server: http.Server, port: number, what: string): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`${what}: port ${LOOPBACK}:${port} is already in use (are the demo servers already running?)`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: actual,
    url: `http://${LOOPBACK}:${actual}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Dripping or stalled downloads would keep close() waiting forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

export function sendBytes(
  res: http.ServerResponse,
  status: number,
  body: Buffer | string,
  headers: http.OutgoingHttpHeaders,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, 'Content-Length': bytes.length });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/** Read a request body (JSON control messages; capped so a mistake cannot eat memory). */
export async function readBody(req: http.IncomingMessage, max = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type RangeResult =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One `bytes=` range of a `size`-byte entity (RFC 9110 §14.1.2). Multiple ranges and
 * malformed headers are answered with the full entity, as the RFC allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

export interface StreamPlan {
  file: string;
  /** First byte (inclusive) and end (exclusive) of the file to send. */
  start: number;
  end: number;
  /** Flip one bit at this absolute file offset when it is sent. */
  flipAt?: number;
  /** Destroy the connection after this many body bytes. */
  dropAfter?: number;
  /** Throttle to about this many bytes per second. */
  bytesPerSecond?: number;
}

const CHUNK = 1024 * 1024;

/**
 * Stream a slice of a file into `res`, honouring back-pressure (constant memory), stopping
 * quietly when the client goes away. Headers must already be written.
 */
export async function streamFile(res: http.ServerResponse, plan: StreamPlan): Promise<void> {
  let handle: FileHandle | undefined;
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.once('close', onClose);
  try {
    handle = await open(plan.file, 'r');
    const step = plan.bytesPerSecond ? Math.max(1024, Math.floor(plan.bytesPerSecond / 10)) : CHUNK;
    const buffer = Buffer.alloc(Math.min(step, CHUNK));
    let position = plan.start;
    let sent = 0;
    // Paced by the clock, not by a fixed pause per chunk: a pause of 100 ms after each (at most
    // 1 MiB) chunk capped every rate at about 10 MB/s, whatever `?rate=` asked for.
    const startedAt = performance.now();
    while (position < plan.end && !gone) {
      let want = Math.min(buffer.length, plan.end - position);
      if (plan.dropAfter !== undefined) want = Math.min(want, plan.dropAfter - sent);
      if (want <= 0) break;
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break;
      const chunk = Buffer.from(buffer.subarray(0, bytesRead));
      if (plan.flipAt !== undefined && plan.flipAt >= position && plan.flipAt < position + bytesRead) {
        chunk[plan.flipAt - position]! ^= 0x01;
      }
      position += bytesRead;
      sent += bytesRead;
      if (!res.write(chunk) && !gone) await drainOrClose(res);
      if (plan.bytesPerSecond && !gone) {
        const due = startedAt + (sent / plan.bytesPerSecond) * 1000;
        const ahead = due - performance.now();
        if (ahead > 0) await sleep(ahead);
      }
    }
    if (gone) return;
    if (plan.dropAfter !== undefined && sent >= plan.dropAfter) {
      // Give the kernel a moment to flush what was written, then cut the connection.
      await sleep(50);
      res.socket?.destroy();
      return;
    }
    res.end();
  } catch {
    res.socket?.destroy();
  } finally {
    res.off('close', onClose);
    await handle?.close();
  }
}

/** Wait for back-pressure to clear, or for the client to go away; leaves no listeners behind. */
function drainOrClose(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
