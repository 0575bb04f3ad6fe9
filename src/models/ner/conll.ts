/**
 * Readers for the NER corpora in ../shared/corpora/ner (CoNLL-style columns:
 * token first, tag last; blank line between sentences; -DOCSTART- between
 * documents). Tags come back as BIO strings over PER/ORG/LOC/MISC.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface TaggedSentence {
  words: string[];
  tags: string[];
}
export type TaggedDoc = TaggedSentence[];

const WNUT: Record<string, string> = {
  person: 'PER',
  location: 'LOC',
  corporation: 'ORG',
  group: 'ORG',
  'creative-work': 'MISC',
  product: 'MISC',
};

/** IOB1 (I- everywhere, B- only between adjacent chunks) → BIO. */
export function toBio(tags: string[]): string[] {
  const out = tags.slice();
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    if (t.startsWith('I-')) {
      const prev = i > 0 ? out[i - 1] : 'O';
      if (prev === 'O' || prev.slice(2) !== t.slice(2)) out[i] = 'B-' + t.slice(2);
    }
  }
  return out;
}

function mapTag(t: string): string {
  if (t === 'O' || t.length < 3) return 'O';
  const type = t.slice(2);
  const mapped = WNUT[type] ?? type;
  if (!['PER', 'ORG', 'LOC', 'MISC'].includes(mapped)) return 'O';
  return t[0] + '-' + mapped;
}

/** Read a CoNLL-style file into documents (one document when there is no -DOCSTART-). */
export function readConll(path: string): TaggedDoc[] {
  const docs: TaggedDoc[] = [];
  let doc: TaggedDoc = [];
  let words: string[] = [];
  let tags: string[] = [];
  const flush = () => {
    if (words.length) doc.push({ words, tags: toBio(tags) });
    words = [];
    tags = [];
  };
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) {
      flush();
      continue;
    }
    const cols = line.split(/[\t ]+/);
    if (cols[0] === '-DOCSTART-') {
      flush();
      if (doc.length) docs.push(doc);
      doc = [];
      continue;
    }
    words.push(cols[0]);
    tags.push(mapTag(cols[cols.length - 1]));
  }
  flush();
  if (doc.length) docs.push(doc);
  return docs;
}

export interface NerData {
  conllTrain: TaggedDoc[];
  conllTesta: TaggedDoc[];
  wikigoldTrain: TaggedDoc[];
  wikigoldHeldOut: TaggedDoc[];
  wnutTrain: TaggedDoc[];
}

/** Every fifth wikigold document (index % 5 === 4) is held out for evaluation. */
export function isWikigoldHeldOut(docIndex: number): boolean {
  return docIndex % 5 === 4;
}

/** Load the English sets from `<corpora>/ner`. Throws a readable error when missing. */
export function loadEnglish(corpora: string): NerData {
  const ner = join(corpora, 'ner');
  const p = {
    train: join(ner, 'conll2003-en/eng.train'),
    testa: join(ner, 'conll2003-en/eng.testa'),
    wiki: join(ner, 'wikigold-en/CONLL-format/data/wikigold.conll.txt'),
    wnut: join(ner, 'wnut17-en/CONLL-format/data/train/wnut17train.conll'),
  };
  for (const f of Object.values(p)) if (!existsSync(f)) throw new Error(`corpus file not found: ${f}`);
  const wiki = readConll(p.wiki);
  // wnut17 has no -DOCSTART-: each tweet is a sentence; keep them as one document each.
  const wnut = readConll(p.wnut).flatMap((d) => d.map((s) => [s]));
  return {
    conllTrain: readConll(p.train),
    conllTesta: readConll(p.testa),
    wikigoldTrain: wiki.filter((_, i) => !isWikigoldHeldOut(i)),
    wikigoldHeldOut: wiki.filter((_, i) => isWikigoldHeldOut(i)),
    wnutTrain: wnut,
  };
}
