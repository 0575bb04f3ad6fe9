// Worker-thread entry for the bulk-ingest analysis pool: loads the
// TypeScript pipeline through tsx (as bin/unspin.js does) and answers
// { id, article } with { id, analysis }, and { id, article, meta } with
// { id, prepared }: the analysis already turned into the store's rows
// (preparePut), so the thread that writes only runs SQL. Failures come back
// as { id, error }.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { analyze } = await import('../pipeline.ts');
const { preparePut } = await import('../store/prepare.ts');
const { contentHash } = await import('../corpus/meta.ts');

parentPort.on('message', ({ id, article, meta }) => {
  try {
    const analysis = analyze(article);
    if (!meta) parentPort.postMessage({ id, analysis });
    else parentPort.postMessage({ id, prepared: preparePut(analysis, { ...meta, contentHash: contentHash(analysis.document.text) }) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err?.message ?? String(err), code: typeof err?.code === 'string' ? err.code : 'analyze' } });
  }
});
parentPort.postMessage({ ready: true });
