/**
 * Entry point of the dedicated hashing worker. Kept thin: all logic is in hash-handler.ts.
 */
import { createHashWorkerHandler } from './hash-handler.js';
import type { WorkerResponse } from './protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: WorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
const handler = createHashWorkerHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => void handler.handle(event.data);
