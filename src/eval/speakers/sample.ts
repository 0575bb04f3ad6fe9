/**
 * Speaker-resolution sample (issue #3). Runs the real pipeline (`analyze`, with the
 * stages up to and including quotes) over PolNeAR dev texts and English SemEval-2025
 * documents read at run time, keeps the quotes whose source phrase does not itself
 * hold a full person name (pronouns, descriptions, surnames, titles, organisations,
 * groups), draws a seeded random sample and prints, for each, the source, the
 * speaker the stage chose and the preceding context with every named entity tagged
 * by its id, so that a person can judge it. Nothing is written; judgments live in a
 * TSV of (corpus, doc id, quote offset, gold code) that `--judge` scores.
 *
 *   node --import tsx src/eval/speakers/sample.ts [--seed 1] [--n 60] [--blind] [--per-doc 2]
 *       [--polnear ../shared/corpora/polnear/dev.jsonl] [--semeval ../shared/corpora/semeval2025-task10/EN/raw-documents]
 *       [--hard] [--before 700] [--judge FILE.tsv [--show]] [--anchor FILE.tsv]
 *
 * --hard keeps only sources whose head starts lower-case or with a pronoun or determiner
 * ("he", "the pundit", "the ministry"): the cases the rules have to resolve.
 *
 * Gold codes: an entity id (`e3`, or `e3|e7` when the layer split one person), `R` (the
 * speaker is identifiable from the text but is no entity of the layer), `U` (not
 * resolvable to a named person or organisation: abstaining is right), `S` (the source itself names a
 * speaker the entities layer did not list: shown by name, not counted), `N` (not a quote).
 *
 * Entity ids are numbered by the entities layer, so a change there renumbers them. `--anchor`
 * prints the TSV with a fifth column: the exact character spans (`start-end`, space-separated) of
 * every name mention of the gold entities, as the code in place reads them; run it with the code
 * the sample was judged with. With that column, `--judge` counts a speaker correct when its
 * entity has a name mention on one of those spans, whatever its id (or, when no entity has one,
 * is the only entity with a name mention that ends one of them).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../pipeline.ts';
import { entitiesStage } from '../../stages/entities/index.ts';
import { quotesStage } from '../../stages/quotes/index.ts';
import type { Analysis, Entity, Quote } from '../../document/types.ts';
import { rng } from '../../ml/rng.ts';

export interface Item {
  corpus: 'polnear' | 'semeval';
  doc: string;
  offset: number;
  quote: Quote;
  analysis: Analysis;
}

export interface Doc {
  corpus: Item['corpus'];
  id: string;
  title: string | null;
  text: string;
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
export const flag = (name: string) => process.argv.includes(`--${name}`);

export function loadDocs(polnear: string, semeval: string): Doc[] {
  const docs: Doc[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(polnear, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { doc_id: string; title?: string; text: string };
    if (seen.has(o.doc_id)) continue; // one text per article, whatever the number of annotation files
    seen.add(o.doc_id);
    docs.push({ corpus: 'polnear', id: o.doc_id, title: o.title ?? null, text: o.text });
  }
  for (const f of readdirSync(semeval).filter((f) => f.endsWith('.txt')).sort()) {
    const text = readFileSync(join(semeval, f), 'utf8');
    const title = text.split('\n')[0].trim() || null;
    docs.push({ corpus: 'semeval', id: f.replace(/\.txt$/, ''), title, text });
  }
  return docs;
}

/** The first comma-separated part of the source phrase. */
function headOf(text: string, q: Quote): { start: number; end: number } | null {
  const s = q.source;
  if (!s) return null;
  const comma = text.slice(s.start, s.end).indexOf(',');
  return { start: s.start, end: comma > 0 ? s.start + comma : s.end };
}

/** A source is "a full name" when its head holds a person mention of two or more words. */
function namesFullPerson(a: Analysis, q: Quote): boolean {
  const h = headOf(a.document.text, q);
  if (!h) return true;
  for (const e of a.entities ?? []) {
    if (e.type !== 'person') continue;
    for (const m of e.mentions) {
      if (m.kind === 'pronoun') continue;
      if (m.start >= h.start && m.end <= h.end && /\S\s+\S/.test(m.text)) return true;
    }
  }
  return false;
}

/** Analysis of every article collected, by `corpus\tdoc id`. */
export const analyses = new Map<string, Analysis>();

export function collect(docs: Doc[]): Item[] {
  const items: Item[] = [];
  for (const d of docs) {
    const analysis = analyze(
      { raw: d.text, title: d.title, url: null, outlet: null, byline: null, published: null, language: 'en', source: 'text' },
      { stages: [entitiesStage, quotesStage], id: d.id },
    );
    analyses.set(`${d.corpus}\t${d.id}`, analysis);
    for (const q of analysis.quotes ?? []) {
      if (!q.source || namesFullPerson(analysis, q)) continue;
      items.push({ corpus: d.corpus, doc: d.id, offset: q.start, quote: q, analysis });
    }
  }
  return items;
}

/** Seeded sample: shuffled, at most `perDoc` quotes of one article, half from each corpus. */
export function sample(items: Item[], seed: number, n: number, perDoc: number): Item[] {
  const rnd = rng(seed);
  const out: Item[] = [];
  for (const corpus of ['polnear', 'semeval'] as const) {
    const pool = items.filter((i) => i.corpus === corpus);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const per = new Map<string, number>();
    const want = corpus === 'polnear' ? Math.floor(n / 2) : n - Math.floor(n / 2);
    let taken = 0;
    for (const it of pool) {
      if (taken >= want) break;
      const k = per.get(it.doc) ?? 0;
      if (k >= perDoc) continue;
      per.set(it.doc, k + 1);
      out.push(it);
      taken++;
    }
  }
  return out;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ¶ ');

/** Context from about `before` characters ahead of the source to the end of the quote, entities tagged. */
function context(a: Analysis, q: Quote, before = 900): string {
  const text = a.document.text;
  const from = Math.max(0, Math.min(q.source!.start, q.start) - before);
  const to = Math.min(text.length, Math.max(q.end, q.source!.end) + 40);
  const marks: { at: number; s: string; order: number }[] = [];
  for (const e of a.entities ?? []) {
    if (e.type !== 'person' && e.type !== 'organization' && e.type !== 'group') continue;
    for (const m of e.mentions) if (m.start >= from && m.end <= to && m.kind !== 'pronoun') marks.push({ at: m.end, s: `[${e.id}]`, order: 1 });
  }
  marks.push({ at: q.source!.start, s: '⟦', order: 0 }, { at: q.source!.end, s: '⟧', order: 2 });
  marks.push({ at: q.start, s: '«', order: 3 }, { at: q.end, s: '»', order: 0 });
  marks.sort((x, y) => x.at - y.at || x.order - y.order);
  let out = '';
  let k = from;
  for (const m of marks) {
    out += text.slice(k, m.at) + m.s;
    k = m.at;
  }
  out += text.slice(k, to);
  return (from > 0 ? '…' : '') + oneLine(out);
}

function describe(e: Entity): string {
  return `${e.id}=${e.name} (${e.type}${e.gender && e.gender !== 'unknown' ? `, ${e.gender}` : ''}${e.descriptors.length ? `; ${e.descriptors.join('; ')}` : ''})`;
}

export type Verdict = 'correct' | 'wrong' | 'abstain-should' | 'abstained-resolvable' | 'abstained-ok' | 'named-unlinked' | 'not-quote';

/** The spans of every name mention of entities `ids` (the `--anchor` column). */
export function anchorSpans(a: Analysis, ids: string[]): string {
  const spans: string[] = [];
  for (const e of a.entities ?? []) if (ids.includes(e.id)) for (const m of e.mentions) if (m.kind !== 'pronoun') spans.push(`${m.start}-${m.end}`);
  return spans.join(' ');
}

/**
 * The entities of this analysis that stand for the anchored gold entities: those with a name
 * mention on an anchored span; when none has one, the single entity with a name mention that
 * ends an anchored span (a title or employer the layer has since cut off the name).
 */
export function goldEntities(entities: readonly Entity[], anchors: string): string[] {
  const spans = anchors.trim().split(/\s+/).map((x) => x.split('-').map(Number) as [number, number]);
  const exact = new Set(spans.map(([a, b]) => `${a}-${b}`));
  const names = (e: Entity) => e.mentions.filter((m) => m.kind !== 'pronoun');
  const counts = entities.map((e) => names(e).filter((m) => exact.has(`${m.start}-${m.end}`)).length);
  if (counts.some((c) => c > 0)) return entities.filter((_, i) => counts[i] > 0).map((e) => e.id);
  // The name ends the span it was cut from ("Keldra News colleague Ann Roe").
  const inside = entities.filter((e) => names(e).some((m) => spans.some(([a, b]) => a <= m.start && m.end === b)));
  return inside.length === 1 ? [inside[0].id] : [];
}

/**
 * Scores the stage's speaker against a gold code (see the header). With `anchors` (the fifth
 * column), the chosen entity is right when one of its name mentions lies on an anchored span.
 */
export function verdict(gold: string, q: Quote, entities: readonly Entity[] = [], anchors = ''): Verdict {
  const resolved = q.speaker.resolved && q.speaker.entity !== null;
  if (gold === 'N') return 'not-quote';
  if (gold === 'S') return resolved ? 'wrong' : 'named-unlinked';
  if (gold === 'U') return resolved ? 'abstain-should' : 'abstained-ok';
  if (gold === 'R') return resolved ? 'wrong' : 'abstained-resolvable';
  const ids = gold.split('|');
  if (!resolved) return 'abstained-resolvable';
  if (anchors.trim()) return goldEntities(entities, anchors).includes(q.speaker.entity!) ? 'correct' : 'wrong';
  return ids.includes(q.speaker.entity!) ? 'correct' : 'wrong';
}

/** The documents of --polnear and --semeval (defaults under ../shared/corpora); exits 2 with a message when absent. */
export function corpusDocs(): Doc[] {
  const root = resolve(import.meta.dirname, '../../..');
  const polnear = resolve(root, arg('polnear', '../shared/corpora/polnear/dev.jsonl'));
  const semeval = resolve(root, arg('semeval', '../shared/corpora/semeval2025-task10/EN/raw-documents'));
  if (!existsSync(polnear) || !existsSync(semeval)) {
    console.error(`corpora not found (${polnear}, ${semeval}); pass --polnear and --semeval`);
    process.exit(2);
  }
  return loadDocs(polnear, semeval);
}

/** The judgment rows of a TSV (comment lines skipped), split into columns. */
export function judgedRows(file: string): string[][] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));
}

function main(): void {
  const docs = corpusDocs();
  const items = collect(docs);
  const anchor = arg('anchor', '');
  if (anchor) {
    for (const line of readFileSync(anchor, 'utf8').split('\n')) {
      if (!line.trim() || line.startsWith('#')) {
        if (line.startsWith('# corpus')) console.log(`${line}\tname-mention spans of the gold entities (--anchor)`);
        else if (line.trim()) console.log(line);
        continue;
      }
      const [corpus, doc, offset, gold, spans] = line.split('\t');
      const a = analyses.get(`${corpus}\t${doc}`);
      const ids = /^e\d+(\|e\d+)*$/.test(gold.trim()) ? gold.trim().split('|') : [];
      const col = spans ?? (a && ids.length ? anchorSpans(a, ids) : '');
      console.log([corpus, doc, offset, gold.trim(), col].join('\t'));
    }
    return;
  }
  const judge = arg('judge', '');
  if (judge) {
    const rows = judgedRows(judge);
    const byKey = new Map(items.map((i) => [`${i.corpus}\t${i.doc}\t${i.offset}`, i]));
    const counts = new Map<Verdict, number>();
    let missing = 0;
    for (const [corpus, doc, offset, gold, anchors] of rows) {
      const it = byKey.get(`${corpus}\t${doc}\t${offset}`);
      if (!it) {
        missing++;
        continue;
      }
      const v = verdict(gold.trim(), it.quote, it.analysis.entities ?? [], anchors ?? '');
      counts.set(v, (counts.get(v) ?? 0) + 1);
      if (flag('show') && v !== 'correct' && v !== 'abstained-ok') {
        const sp = it.quote.speaker;
        console.log(`${v}\t${corpus} ${doc} @${offset}\tgold ${gold.trim()}\tchose ${sp.resolved ? sp.entity : 'null'} via ${JSON.stringify(sp.mention?.text ?? null)}`);
      }
    }
    const c = (v: Verdict) => counts.get(v) ?? 0;
    const resolved = c('correct') + c('wrong') + c('abstain-should');
    const resolvable = c('correct') + c('wrong') + c('abstained-resolvable');
    console.log(`judged ${rows.length - missing} of ${rows.length} rows${missing ? ` (${missing} quotes no longer found)` : ''}`);
    for (const v of ['correct', 'wrong', 'abstain-should', 'abstained-resolvable', 'abstained-ok', 'named-unlinked', 'not-quote'] as Verdict[]) console.log(`  ${v.padEnd(22)} ${c(v)}`);
    console.log(`precision (correct / resolved)      ${c('correct')}/${resolved} = ${resolved ? ((100 * c('correct')) / resolved).toFixed(1) : '-'}%`);
    console.log(`coverage (correct / resolvable)     ${c('correct')}/${resolvable} = ${resolvable ? ((100 * c('correct')) / resolvable).toFixed(1) : '-'}%`);
    return;
  }
  const seed = Number(arg('seed', '1'));
  const n = Number(arg('n', '60'));
  // --hard: only sources whose head starts with a lower-case word (pronouns, descriptions, "the ministry").
  const pool = flag('hard') ? items.filter((i) => { const h = headOf(i.analysis.document.text, i.quote)!; return /^[\s"“‘']*(\p{Ll}|(He|She|They|It|The|This|That|These|Those|His|Her|Their|Its|Our|One|A|An)\b)/u.test(i.analysis.document.text.slice(h.start, h.end)); }) : items;
  const picked = sample(pool, seed, n, Number(arg('per-doc', '2')));
  console.log(`# ${items.length} candidate quotes (${docs.length} articles); seed ${seed}, ${picked.length} drawn`);
  for (const [k, it] of picked.entries()) {
    const q = it.quote;
    const text = it.analysis.document.text;
    console.log(`\n## ${k + 1}\t${it.corpus}\t${it.doc}\t${it.offset}\t(${q.kind}, cue ${JSON.stringify(q.cue?.text ?? null)})`);
    console.log(`source: ${JSON.stringify(text.slice(q.source!.start, q.source!.end))}`);
    if (!flag('blind')) {
      const sp = q.speaker;
      console.log(`chose:  ${sp.resolved ? `${sp.entity} ${sp.name}` : `null (${sp.type}${sp.name ? `, ${sp.name}` : ''})`} via ${JSON.stringify(sp.mention?.text ?? null)}`);
    }
    const ids = new Set<string>();
    const ctx = context(it.analysis, q, Number(arg('before', '700')));
    for (const m of ctx.matchAll(/\[(e\d+)\]/g)) ids.add(m[1]);
    const ents = (it.analysis.entities ?? []).filter((e) => ids.has(e.id));
    if (ents.length) console.log(`entities: ${ents.map(describe).join(' | ')}`);
    console.log(ctx);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
