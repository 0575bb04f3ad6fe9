import type { Store } from '../store/types.ts';
import { exportLines, type ExportFormat } from '../store/export.ts';

export { EXPORT_FORMATS, csvField, type ExportFormat } from '../store/export.ts';

/** Corpus export over HTTP: the lines of `exportLines`, a few per chunk. */
export function exportStream(store: Store, format: ExportFormat): ReadableStream<Uint8Array> {
  const it = exportLines(store, format);
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A few lines per chunk keeps the number of writes down.
        let chunk = '';
        while (chunk.length < 64 * 1024) {
          const { value, done } = await it.next();
          if (done) {
            if (chunk) controller.enqueue(enc.encode(chunk));
            controller.close();
            return;
          }
          chunk += value;
        }
        controller.enqueue(enc.encode(chunk));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
