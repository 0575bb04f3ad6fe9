import { parentPort } from 'node:worker_threads';
import { analyze } from '../pipeline.ts';
import type { Article } from '../article/types.ts';

/**
 * One analysis worker of the server's pool (pool.ts): receives
 * `{ id, article }`, answers `{ id, analysis }` or `{ id, error }`. The
 * pipeline is pure, so a worker is just another place to run it.
 */

if (!parentPort) throw new Error('worker.ts runs inside a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; article: Article }) => {
  try {
    port.postMessage({ id: msg.id, analysis: analyze(msg.article) });
  } catch (err) {
    port.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) });
  }
});
