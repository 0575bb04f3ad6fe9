// Worker thread for bench/big-corpus.ts: makes variants of the base analyses
// and turns them into the store's rows (preparePut), so the building thread
// only writes. Answers { id, from, to } with { id, items }.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { variant } = await import('./big-corpus.ts');
const { preparePut } = await import('../src/store/prepare.ts');

parentPort.on('message', ({ id, from, to }) => {
  const items = [];
  for (let v = from; v < to; v++) {
    const x = variant(workerData.bases, v);
    items.push(preparePut(x.analysis, x.meta));
  }
  parentPort.postMessage({ id, items });
});
parentPort.postMessage({ ready: true });
