/** An in-memory MirrorSource with scriptable faults, for fast checkMirror tests. */
import type { MirrorResponse, MirrorSource } from '../../../src/core/mirror/types.js';

export interface MemoryFile {
  status?: number;
  bytes?: Uint8Array;
  /** Announced length; default: bytes.length; null: none announced. */
  contentLength?: number | null;
  contentType?: string;
  /** Final location, when a redirect led elsewhere. */
  redirectTo?: string;
  chunkSize?: number;
  /** Throw after this many bytes (a dropped connection). */
  dropAfter?: number;
  /** Stop sending (forever, until aborted) after this many bytes. */
  stallAfter?: number;
  /** Wait this long before every chunk. */
  chunkDelayMs?: number;
  /** open() itself fails (connection refused). */
  refuse?: boolean;
  /** Answer HEAD with 405 Method Not Allowed. */
  noHead?: boolean;
}

export interface MemorySource extends MirrorSource {
  requests: Array<{ path: string; method: string }>;
  closed: number;
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

export function memorySource(prefix: string, files: Record<string, MemoryFile>): MemorySource {
  const source: MemorySource = {
    location: prefix,
    requests: [],
    closed: 0,
    locate: (path) => `${prefix}${path}`,
    async open(path, { method, signal }): Promise<MirrorResponse> {
      source.requests.push({ path, method });
      const file = files[path];
      if (file?.refuse) throw new Error(`connect ECONNREFUSED ${prefix}`);
      if (!file) {
        return {
          status: 404,
          finalLocation: `${prefix}${path}`,
          redirectedOffsite: false,
          close: async () => undefined,
        };
      }
      if (file.noHead && method === 'HEAD') {
        return {
          status: 405,
          finalLocation: `${prefix}${path}`,
          redirectedOffsite: false,
          close: async () => undefined,
        };
      }
      const bytes = file.bytes ?? new Uint8Array();
      const length = file.contentLength === null ? undefined : (file.contentLength ?? bytes.length);
      async function* body(): AsyncGenerator<Uint8Array> {
        const size = file!.chunkSize ?? 1000;
        for (let at = 0; at < bytes.length; at += size) {
          if (file!.dropAfter !== undefined && at >= file!.dropAfter) throw new Error('socket hang up');
          if (file!.stallAfter !== undefined && at >= file!.stallAfter)
            await waitOrAbort(Number.POSITIVE_INFINITY, signal);
          if (file!.chunkDelayMs) await waitOrAbort(file!.chunkDelayMs, signal);
          yield bytes.slice(at, Math.min(bytes.length, at + size));
        }
      }
      const response: MirrorResponse = {
        status: file.status ?? 200,
        finalLocation: file.redirectTo ?? `${prefix}${path}`,
        redirectedOffsite: file.redirectTo !== undefined && new URL(file.redirectTo).origin !== new URL(prefix).origin,
        close: async () => {
          source.closed++;
        },
      };
      if (length !== undefined) response.contentLength = length;
      if (file.contentType !== undefined) response.contentType = file.contentType;
      if (method === 'GET') response.body = body();
      return response;
    },
  };
  return source;
}
