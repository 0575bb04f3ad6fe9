/**
 * Quote acts, judged by hand (issue #3): is each attribution the stage finds something said
 * ('speech'), a belief, feeling or intention ('thought'), something shown by a document or data
 * ('evidence'), or none of these ('other')? Runs the real pipeline (stages up to quotes) over
 * PolNeAR dev texts and English SemEval-2025 documents read at run time, draws a seeded sample
 * of quotes and prints each with its cue, source and sentence so a person can judge it. Nothing
 * is written; judgments live in a TSV of (corpus, doc id, quote offset, gold act) that `--judge`
 * scores. Gold codes: s(peech), t(hought), e(vidence), o(ther), N (not an attribution at all).
 *
 *   node --import tsx src/eval/acts/sample.ts [--seed 1] [--n 80] [--blind] [--judge FILE.tsv [--show]]
 *       [--polnear ../shared/corpora/polnear/dev.jsonl] [--semeval ../shared/corpora/semeval2025-task10/EN/raw-documents]
 */
import { analyze } from '../../pipeline.ts';
import { entitiesStage } from '../../stages/entities/index.ts';
import { quotesStage } from '../../stages/quotes/index.ts';
import type { QuoteAct } from '../../document/types.ts';
import { arg, corpusDocs, flag, judgedRows, sample, type Doc, type Item } from '../speakers/sample.ts';

const CODES: Record<string, QuoteAct | 'none'> = { s: 'speech', t: 'thought', e: 'evidence', o: 'other', N: 'none' };
const ACTS: (QuoteAct | 'none')[] = ['speech', 'thought', 'evidence', 'other', 'none'];

/** Every quote the stage finds in the documents. */
export function collectAll(docs: Doc[]): Item[] {
  const items: Item[] = [];
  for (const d of docs) {
    const analysis = analyze(
      { raw: d.text, title: d.title, url: null, outlet: null, byline: null, published: null, language: 'en', source: 'text' },
      { stages: [entitiesStage, quotesStage], id: d.id },
    );
    for (const q of analysis.quotes ?? []) items.push({ corpus: d.corpus, doc: d.id, offset: q.start, quote: q, analysis });
  }
  return items;
}

/** Confusion counts (gold → predicted) and the figures a reader of the quote list cares about. */
export function score(pairs: { gold: QuoteAct | 'none'; act: QuoteAct }[]): string[] {
  const out: string[] = [];
  const m = new Map<string, number>();
  for (const p of pairs) m.set(`${p.gold}>${p.act}`, (m.get(`${p.gold}>${p.act}`) ?? 0) + 1);
  const preds: QuoteAct[] = ['speech', 'thought', 'evidence', 'other'];
  out.push(`gold \\ stage   ${preds.map((p) => p.padStart(9)).join('')}`);
  for (const g of ACTS) out.push(`${g.padEnd(14)} ${preds.map((p) => String(m.get(`${g}>${p}`) ?? 0).padStart(9)).join('')}`);
  const n = (f: (p: { gold: string; act: string }) => boolean) => pairs.filter(f).length;
  const agree = n((p) => p.gold === p.act);
  const attributions = n((p) => p.gold !== 'none');
  out.push(`act agrees on ${agree}/${attributions} real attributions (${((100 * agree) / Math.max(1, attributions)).toFixed(1)}%)`);
  const saidSpeech = n((p) => p.act === 'speech');
  const trueSpeech = n((p) => p.act === 'speech' && p.gold === 'speech');
  const goldSpeech = n((p) => p.gold === 'speech');
  out.push(`labelled speech: ${trueSpeech}/${saidSpeech} are speech (precision ${((100 * trueSpeech) / Math.max(1, saidSpeech)).toFixed(1)}%), ${trueSpeech}/${goldSpeech} of the speech found (recall ${((100 * trueSpeech) / Math.max(1, goldSpeech)).toFixed(1)}%)`);
  const flagged = n((p) => p.act !== 'speech');
  const notSpeech = n((p) => p.gold !== 'speech');
  const caught = n((p) => p.act !== 'speech' && p.gold !== 'speech');
  out.push(`not speech (thought, evidence, other or no attribution): ${caught}/${notSpeech} flagged; ${flagged - caught} speech quotes flagged wrongly`);
  return out;
}

function main(): void {
  const items = collectAll(corpusDocs());
  const judge = arg('judge', '');
  if (judge) {
    const rows = judgedRows(judge);
    const byKey = new Map(items.map((i) => [`${i.corpus}\t${i.doc}\t${i.offset}`, i]));
    const pairs: { gold: QuoteAct | 'none'; act: QuoteAct }[] = [];
    let missing = 0;
    for (const [corpus, doc, offset, code] of rows) {
      const it = byKey.get(`${corpus}\t${doc}\t${offset}`);
      const gold = CODES[code?.trim()];
      if (!gold) throw new Error(`${judge}: unknown code ${JSON.stringify(code)} (use s, t, e, o or N)`);
      if (!it) {
        missing++;
        continue;
      }
      const act = it.quote.act ?? 'speech';
      pairs.push({ gold, act });
      if (flag('show') && gold !== act) console.log(`gold ${gold}\tstage ${act}\t${corpus} ${doc} @${offset}\tcue ${JSON.stringify(it.quote.cue?.text ?? null)}`);
    }
    console.log(`judged ${pairs.length} of ${rows.length} rows${missing ? ` (${missing} quotes no longer found)` : ''}`);
    for (const l of score(pairs)) console.log(l);
    return;
  }
  const seed = Number(arg('seed', '1'));
  const picked = sample(items, seed, Number(arg('n', '80')), 2);
  console.log(`# ${items.length} quotes; seed ${seed}, ${picked.length} drawn`);
  for (const [k, it] of picked.entries()) {
    const q = it.quote;
    const text = it.analysis.document.text;
    const from = Math.max(0, text.lastIndexOf('\n', q.start - 1) + 1, q.start - 300);
    const to = Math.min(text.length, q.end + 150);
    console.log(`\n## ${k + 1}\t${it.corpus}\t${it.doc}\t${it.offset}\t(${q.kind}${flag('blind') ? '' : `, ${q.act}`})`);
    console.log(`cue ${JSON.stringify(q.cue?.text ?? null)} · source ${JSON.stringify(q.source?.text ?? null)}`);
    console.log(`content: ${q.text.replace(/\s+/g, ' ').slice(0, 300)}`);
    console.log(`context: ${text.slice(from, to).replace(/\s+/g, ' ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
