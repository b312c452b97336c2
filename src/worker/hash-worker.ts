/**
 * Entry point of the dedicated hashing worker. Kept thin: all logic is in hash-handler.ts.
 */
import { createHashWorkerHandler } from './hash-handler.js';
import type { WorkerResponse } from '../wire/worker-protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handler = createHashWorkerHandler((message, transfer) => scope.postMessage(message, transfer ?? []));
scope.onmessage = (event) => void handler.handle(event.data);
