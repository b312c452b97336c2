/**
 * A test Fetcher over Node's fetch that honours the core contract: size cap, timeout, abort,
 * typed errors. (The product's surfaces bring their own; this one only serves these tests.)
 */
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { Fetcher } from '../../../src/core/net/types.js';

export const nodeFetcher: Fetcher = async (url, options) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new IsoVerifyError('fetch-timeout', url)), options.timeoutMs);
  const onAbort = (): void => controller.abort(new IsoVerifyError('aborted', url));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'error' });
    } catch (e) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw new IsoVerifyError('fetch-failed', `${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!response.ok) throw new IsoVerifyError('fetch-http-status', `${url}: HTTP ${response.status}`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > options.maxBytes) {
          await reader.cancel();
          throw new IsoVerifyError('fetch-too-large', `${url}: more than ${options.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof IsoVerifyError) throw e;
      if (controller.signal.aborted) throw controller.signal.reason;
      throw new IsoVerifyError('fetch-failed', `${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    return { source: url, bytes, fetchedAt: new Date().toISOString() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
};
