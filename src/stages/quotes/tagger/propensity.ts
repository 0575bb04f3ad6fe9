/**
 * Complement-taking propensity of word forms, learned from unlabeled news.
 *
 * Cue heads of every kind share one syntactic habit: they take a clause
 * ("shows that", "wants to", "warned:", "insisted he …") and they tend to
 * have a person as subject. Counting, for every lower-case word form of a
 * pool of unlabeled articles, how often it is followed by such a clause
 * opener and preceded by a person-like subject gives each word a profile
 * that reaches cue heads never seen as cues in the annotated data. Rare words
 * are smoothed through the word-vector clusters (`src/models/embeddings/`):
 * a word's rate is pulled toward the pooled rate of its 1,024-level cluster,
 * that one toward its 256-level cluster, that one toward the pool's rate.
 *
 * Seven signals (PROPENSITY_SIGNALS), each kept as a bucket of its lift over
 * the pool's rate (0 … 8, see liftBucket). The tagger reads the buckets as
 * word-only features (features.ts, MeaningFeatures.ctp).
 *
 *   node --import tsx src/stages/quotes/tagger/propensity.ts --build [--corpora ../shared/corpora] [--out FILE]
 *
 * writes the table file (`src/stages/quotes/data/complement-propensity.tsv`; not committed while the
 * features are off, see the quotes README, "Session 6") from the default pool: every PolNeAR train text, the SemEval-2023 English articles, the PTC articles
 * (those equal to a SemEval-2023 article counted once) and the SemEval-2025 English documents.
 * PolNeAR dev is never in it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { segment } from '../../../segment/index.ts';
import type { Token } from '../../../document/types.ts';
import { loadWordVectors } from './vectors.ts';
import { loadPolnear } from '../../../eval/attribution/polnear.ts';

export const PROPENSITY_SIGNALS = [
  'that', // "that" within the next three tokens
  'colon', // a colon or a quotation mark next (after an optional comma)
  'to', // "to" + a verb-like word next (after an optional object word)
  'subject', // a subject pronoun next, or a capitalised word then an auxiliary
  'person', // a person-like subject right before (a subject pronoun, "who", a capitalised word), an auxiliary allowed between
  'quote', // a quotation mark among the three tokens before
  'lower', // written in lower case (names and other proper nouns are not)
] as const;
export const SIGNALS = PROPENSITY_SIGNALS.length;

/** Word form → one lift bucket per signal. */
export type PropensityTable = Map<string, Uint8Array>;

/**
 * A word that behaves like a cue head in the pool (features.ts, ctp 2: it anchors the distance-to-cue
 * features like a listed cue word): a clause after it (that, colon or subject) at 4 times the pool
 * rate or more, a person before it at twice the rate or more, and mostly written in lower case.
 */
export function clauseAnchor(b: Uint8Array): boolean {
  return Math.max(b[0], b[1], b[3]) >= 5 && b[4] >= 4 && b[6] >= 3;
}

export const PROPENSITY_FILE = new URL('../data/complement-propensity.tsv', import.meta.url);

const SUBJ = new Set(['he', 'she', 'they', 'we', 'i']);
const PERSON_BEFORE = new Set(['he', 'she', 'they', 'we', 'i', 'who']);
const AUXES = new Set(
  'would will was is had has could should can may might must did does were are have also not never has also still later then publicly privately repeatedly recently once already reportedly just'.split(' '),
);
const NOT_VERB = new Set(
  'the a an his her their its this these those my our your that which who whom some any all no every each one two three more most many much such what whose there here and or but if as of in on at by for from with about into over than then so'.split(' '),
);

/** Counts per form: occurrences, then one count per signal. */
export interface Counts {
  forms: Map<string, Uint32Array>;
  /** Totals over all word tokens (same layout). */
  total: Uint32Array;
}

export function newCounts(): Counts {
  return { forms: new Map(), total: new Uint32Array(1 + SIGNALS) };
}

const isQuote = (t: Token | undefined) => !!t && t.kind === 'punct' && t.norm === '"';
const isWord = (t: Token | undefined) => !!t && t.kind === 'word';

/** Adds one text's word tokens to the counts. */
export function countText(text: string, c: Counts): void {
  const toks = segment(text).tokens;
  const n = toks.length;
  const capital = (t: Token) => {
    const ch = text.charCodeAt(t.start);
    return ch >= 65 && ch <= 90;
  };
  const same = (i: number, j: number) => j >= 0 && j < n && toks[j].sentence === toks[i].sentence;
  const at = (i: number, j: number) => (same(i, j) ? toks[j] : undefined);
  const firstOfSentence = (j: number) => j === 0 || toks[j - 1].sentence !== toks[j].sentence || isQuote(toks[j - 1]);
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    if (t.kind !== 'word') continue;
    let row = c.forms.get(t.norm);
    if (!row) c.forms.set(t.norm, (row = new Uint32Array(1 + SIGNALS)));
    const hit = new Uint8Array(SIGNALS);
    for (let j = i + 1; j <= i + 3; j++) if (at(i, j)?.norm === 'that') hit[0] = 1;
    const n1 = at(i, i + 1);
    const n2 = at(i, i + 2);
    if (n1 && n1.kind === 'punct' && (n1.norm === ':' || n1.norm === '"' || (n1.norm === ',' && isQuote(n2)))) hit[1] = 1;
    for (const j of [i + 1, i + 2]) {
      const a = at(i, j);
      const b = at(i, j + 1);
      if (a?.norm === 'to' && isWord(b) && !capital(b!) && !NOT_VERB.has(b!.norm)) hit[2] = 1;
    }
    if (n1 && SUBJ.has(n1.norm)) hit[3] = 1;
    else if (isWord(n1) && capital(n1!)) {
      for (let j = i + 2; j <= i + 4; j++) {
        const a = at(i, j);
        if (!a || !(isWord(a) || a.norm === '.')) break;
        if (AUXES.has(a.norm) && !capital(a)) {
          hit[3] = 1;
          break;
        }
      }
    }
    let j = i - 1;
    if (same(i, j) && AUXES.has(toks[j].norm)) j--;
    const p = at(i, j);
    if (p && (PERSON_BEFORE.has(p.norm) || (isWord(p) && capital(p) && !firstOfSentence(j)))) hit[4] = 1;
    for (let k = i - 1; k >= i - 3; k--) if (isQuote(at(i, k))) hit[5] = 1;
    if (!capital(t)) hit[6] = 1;
    row[0]++;
    c.total[0]++;
    for (let s = 0; s < SIGNALS; s++) if (hit[s]) {
      row[1 + s]++;
      c.total[1 + s]++;
    }
  }
}

/** Lift over the pool's rate → bucket 0 … 8 (edges ¼, ½, 1, 2, 4, 8, 16, 32). */
export function liftBucket(lift: number): number {
  const edges = [0.25, 0.5, 1, 2, 4, 8, 16, 32];
  let b = 0;
  while (b < edges.length && lift >= edges[b]) b++;
  return b;
}

/**
 * Smoothed lift buckets for every counted form and every form the word vectors know:
 * rate(w) = (count(w) + m · rate(cluster)) / (n(w) + m), clusters fine to coarse, then the pool.
 * Forms whose buckets all equal the pool's (bucket of lift 1) are left out (that is the default).
 */
export function smooth(c: Counts, m = 10, minCount = 2): PropensityTable {
  const wv = loadWordVectors();
  const levels = wv.levels.length;
  const fine = levels - 1;
  const coarse = Math.max(0, levels - 2);
  const poolRate = Array.from({ length: SIGNALS }, (_, s) => c.total[1 + s] / Math.max(1, c.total[0]));
  // Pooled counts per cluster at the two finest levels.
  const byCluster = (level: number) => {
    const acc = new Map<number, Float64Array>();
    for (const [form, row] of c.forms) {
      const id = wv.id(form);
      if (id < 0) continue;
      const k = wv.cluster(id, level);
      let a = acc.get(k);
      if (!a) acc.set(k, (a = new Float64Array(1 + SIGNALS)));
      for (let s = 0; s <= SIGNALS; s++) a[s] += row[s];
    }
    return acc;
  };
  const cf = byCluster(fine);
  const cc = byCluster(coarse);
  const rateOf = (row: ArrayLike<number> | undefined, prior: number[]) =>
    prior.map((p, s) => (row ? (row[1 + s] + m * p) / (row[0] + m) : p));
  const table: PropensityTable = new Map();
  const base = liftBucket(1);
  const put = (form: string, rates: number[]) => {
    const b = Uint8Array.from(rates, (r, s) => liftBucket(r / Math.max(1e-9, poolRate[s])));
    if (b.some((x) => x !== base)) table.set(form, b);
  };
  const priorOf = (id: number) => (id < 0 ? poolRate : rateOf(cf.get(wv.cluster(id, fine)), rateOf(cc.get(wv.cluster(id, coarse)), poolRate)));
  for (const [form, row] of c.forms) if (row[0] >= minCount) put(form, rateOf(row, priorOf(wv.id(form))));
  // Forms the vectors know but the pool lacks (or holds once): their clusters' rates.
  for (let id = 0; id < wv.size; id++) {
    const form = wv.word(id);
    const row = c.forms.get(form);
    if (row && row[0] >= minCount) continue;
    put(form, rateOf(row, priorOf(id)));
  }
  return table;
}

function textsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/**
 * The unlabeled pool besides PolNeAR: SemEval-2023 English articles, PTC articles (a text equal to
 * one already taken is skipped) and SemEval-2025 English documents, read from the corpora folder.
 */
export function otherPool(corpora: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const dirs = [
    join(corpora, 'semeval2023-task3/en/train-articles-subtask-1'),
    join(corpora, 'ptc/train-articles'),
    join(corpora, 'ptc/dev-articles'),
    join(corpora, 'semeval2025-task10/EN/raw-documents'),
  ];
  for (const d of dirs) {
    for (const t of textsIn(d)) {
      const key = t.replace(/\s+/g, ' ').trim().slice(0, 400);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

/** The table from a list of texts. */
export function propensityFrom(texts: Iterable<string>): PropensityTable {
  const c = newCounts();
  for (const t of texts) countText(t, c);
  return smooth(c);
}

const HEADER = [
  '# Complement-taking propensity of word forms (derived data, no text): for each form, one lift bucket',
  '# (0-8: lift < 1/4, 1/2, 1, 2, 4, 8, 16, 32, >= 32 over the pool rate) per signal, in the order',
  `# ${PROPENSITY_SIGNALS.join(', ')}; forms at bucket 3 (lift about 1) for every signal are left out.`,
  '# Counted over unlabeled news (PolNeAR train texts, SemEval-2023 EN and PTC articles, SemEval-2025 EN',
  '# documents; research-use corpora, only word forms and buckets kept), smoothed through the word-vector',
  '# clusters (src/models/embeddings). Regenerate: node --import tsx src/stages/quotes/tagger/propensity.ts --build',
];

export function formatTable(t: PropensityTable): string {
  // A form that would read as a comment or break the line format is left out (it gets the pool's rate).
  const rows = [...t].filter(([f]) => f && !f.startsWith('#') && !/[\t\n\r]/.test(f)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([f, b]) => `${f}\t${b.join('')}`);
  return [...HEADER, ...rows].join('\n') + '\n';
}

export function parseTable(raw: string): PropensityTable {
  const t: PropensityTable = new Map();
  for (const line of raw.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.lastIndexOf('\t');
    const code = line.slice(tab + 1);
    t.set(line.slice(0, tab), Uint8Array.from(code, (ch) => ch.charCodeAt(0) - 48));
  }
  return t;
}

let committed: PropensityTable | null = null;
/** The table file (read once), which `--build` writes; the experiments count their own instead. */
export function loadPropensity(): PropensityTable {
  if (!committed) {
    if (!existsSync(PROPENSITY_FILE)) throw new Error(`${PROPENSITY_FILE.pathname} is missing: build it with node --import tsx src/stages/quotes/tagger/propensity.ts --build`);
    committed = parseTable(readFileSync(PROPENSITY_FILE, 'utf8'));
  }
  return committed;
}

if (process.argv[1]?.endsWith('propensity.ts')) {
  const { values } = parseArgs({
    options: {
      build: { type: 'boolean', default: false },
      corpora: { type: 'string', default: '../shared/corpora' },
      out: { type: 'string', default: PROPENSITY_FILE.pathname },
      show: { type: 'string' },
    },
  });
  if (values.build) {
    const polnear = [...new Set(loadPolnear(join(values.corpora!, 'polnear/train.jsonl')).map((d) => d.text))];
    const other = otherPool(values.corpora!);
    const t0 = performance.now();
    const table = propensityFrom([...polnear, ...other]);
    writeFileSync(values.out!, formatTable(table));
    console.log(`${polnear.length} PolNeAR texts, ${other.length} other texts; ${table.size} forms written to ${values.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (values.show) {
    const t = loadPropensity();
    for (const w of values.show.split(',')) console.log(w, t.get(w)?.join(' ') ?? '(pool rate)');
  }
}
