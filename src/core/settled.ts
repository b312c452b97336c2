/**
 * Wait for a promise to settle, whatever its outcome. For ordering (a queue's next step runs
 * after the previous one, which reports its own failure to its own caller) and for cleanup
 * whose failure changes nothing (cancelling a stream that may already be closed). Anything
 * whose failure matters is handled or reported instead (eslint.config.js forbids the bare
 * `.catch(() => undefined)`).
 */
export function settled(promise: Promise<unknown> | undefined): Promise<void> {
  return promise === undefined
    ? Promise.resolve()
    : promise.then(
        () => undefined,
        () => undefined,
      );
}
