/**
 * Ingest and clean on the synthetic corpus: clean() per article next to a
 * floor measured in the same run (NFC + splitting into lines, the least any
 * cleaner must do), detectLanguage() next to scanning the words it reads, and
 * HTML extraction (linkedom +
 * Readability) next to parsing the same pages with linkedom alone.
 */
import { parseHTML } from 'linkedom';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { clean } from '../src/clean/index.ts';
import { detectLanguage } from '../src/language/detect.ts';
import { fromHtml } from '../src/article/ingest.ts';

function best(reps: number, f: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

function page(a: { title: string; text: string; outlet: string }): string {
  const paras = a.text.split(/\n\n+/).map((p) => (p.length < 60 && !/[.!?]$/.test(p) ? `<h2>${p}</h2>` : `<p>${p}</p>`));
  return `<!doctype html><html lang="en"><head><title>${a.title}</title><meta property="og:site_name" content="${a.outlet}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav><div class="ad">Advertisement</div>
<main><article><h1>${a.title}</h1>${paras.join('\n')}</article></main>
<section class="comments"><p>First comment</p></section><footer>© ${a.outlet}</footer><script>var x = 1;</script></body></html>`;
}

export async function bench(): Promise<BenchResult[]> {
  const arts = Array.from({ length: 400 }, (_, i) => syntheticArticle(i));
  const texts = arts.map((a) => a.text);
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  for (const t of texts.slice(0, 50)) clean(t);
  const floor = best(3, () => {
    for (const t of texts) t.normalize('NFC').split('\n');
  });
  const cleanMs = best(3, () => {
    for (const t of texts) clean(t);
  });
  const langMs = best(3, () => {
    for (const t of texts) detectLanguage(t);
  });
  // The least a word-based detector does: lower-case the sample and scan its words.
  const scanMs = best(3, () => {
    for (const t of texts) for (const _ of t.slice(0, 4000).toLowerCase().matchAll(/\p{L}+/gu));
  });
  const rate = (n: number, ms: number) => (n / ms) * 1000;
  const out: BenchResult[] = [
    { name: 'clean (synthetic ~800 words)', value: rate(texts.length, cleanMs), unit: 'articles/s', baseline: { name: 'NFC + split lines', value: rate(texts.length, floor) }, note: `${(mb / (cleanMs / 1000)).toFixed(1)} MB/s` },
    { name: 'detectLanguage', value: rate(texts.length, langMs), unit: 'articles/s', baseline: { name: 'lower-case + word scan of 4k chars', value: rate(texts.length, scanMs) } },
  ];
  const pages = arts.slice(0, 60).map(page);
  for (const p of pages.slice(0, 5)) fromHtml(p);
  const parseMs = best(2, () => {
    for (const p of pages) parseHTML(p);
  });
  const htmlMs = best(2, () => {
    for (const p of pages) fromHtml(p);
  });
  out.push({ name: 'HTML page → Article (Readability)', value: rate(pages.length, htmlMs), unit: 'pages/s', baseline: { name: 'linkedom parse only', value: rate(pages.length, parseMs) } });
  return out;
}
