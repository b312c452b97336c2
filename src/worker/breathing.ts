/**
 * Let the worker's event loop run while a long hash is in progress. A Blob whose bytes are
 * already in memory can be read entirely through microtasks, and then a 'cancel' message would
 * not be delivered until the whole file is hashed. A MessageChannel round trip yields to the
 * task queue without setTimeout's 4 ms clamp.
 */

function nextTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Pass `chunks` through, yielding to the event loop at least every `intervalMs` of work. */
export async function* breathing(chunks: AsyncIterable<Uint8Array>, intervalMs = 50): AsyncGenerator<Uint8Array> {
  let last = performance.now();
  for await (const chunk of chunks) {
    yield chunk;
    if (performance.now() - last >= intervalMs) {
      await nextTask();
      last = performance.now();
    }
  }
}
