// Worker-thread entry for the bulk-ingest analysis pool: loads the
// TypeScript pipeline through tsx (as bin/unspin.js does) and answers
// { id, article } messages with { id, analysis } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { analyze } = await import('../pipeline.ts');

parentPort.on('message', ({ id, article }) => {
  try {
    parentPort.postMessage({ id, analysis: analyze(article) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err?.message ?? String(err), code: typeof err?.code === 'string' ? err.code : 'analyze' } });
  }
});
parentPort.postMessage({ ready: true });
