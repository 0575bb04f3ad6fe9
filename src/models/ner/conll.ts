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
  let type = t.slice(2);
  // GermEval: OTH is MISC; -deriv ("deutsche") and -part ("EU-Kommission") are not names of their own.
  if (type.endsWith('deriv') || type.endsWith('part')) return 'O';
  if (type === 'OTH') type = 'MISC';
  const mapped = WNUT[type] ?? type;
  if (!['PER', 'ORG', 'LOC', 'MISC'].includes(mapped)) return 'O';
  return t[0] + '-' + mapped;
}

/** Read a CoNLL-style file into documents (one document when there is no -DOCSTART-). */
export function readConll(path: string, germeval = false): TaggedDoc[] {
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
    let cols = line.split(/[\t ]+/);
    if (germeval) {
      // GermEval: "#<TAB>source" lines, then index, token, outer tag, inner tag.
      if (line.startsWith('#\t')) continue;
      cols = [cols[1], cols[2]];
    }
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

export interface LanguageData {
  language: string;
  /** Training documents, with how many copies of each set to mix in. */
  train: { name: string; docs: TaggedDoc[]; repeat: number }[];
  /** Evaluation sets, never trained on. */
  eval: { name: string; docs: TaggedDoc[] }[];
}

/** Languages with a training set in ../shared/corpora/ner. */
export const LANGUAGES = ['en', 'de', 'it', 'ru'] as const;

/**
 * Training and evaluation sets per language. Only the English sets include
 * a training split proper; for German (GermEval dev/test only) and Russian
 * (factRuEval dev/test) the dev file trains and the test file evaluates; for
 * Italian (KIND Wikinews) WN_train trains, WN_dev evaluates and WN_test is
 * left untouched.
 */
export function loadLanguage(corpora: string, language: string, wikiRepeat = 2): LanguageData {
  const ner = join(corpora, 'ner');
  const need = (f: string) => {
    if (!existsSync(f)) throw new Error(`corpus file not found: ${f}`);
    return f;
  };
  const splitDocs = (docs: TaggedDoc[]) => (docs.length === 1 ? docs[0].map((s) => [s]) : docs);
  switch (language) {
    case 'en': {
      const d = loadEnglish(corpora);
      return {
        language,
        train: [
          { name: 'conll2003-en eng.train', docs: d.conllTrain, repeat: 1 },
          { name: 'wnut17-en train', docs: d.wnutTrain, repeat: 1 },
          { name: 'wikigold-en (docs with index % 5 != 4)', docs: d.wikigoldTrain, repeat: wikiRepeat },
        ],
        eval: [
          { name: 'conll-testa', docs: d.conllTesta },
          { name: 'wikigold-heldout', docs: d.wikigoldHeldOut },
        ],
      };
    }
    case 'de':
      return {
        language,
        train: [{ name: 'germeval2014-de NER-de-dev', docs: splitDocs(readConll(need(join(ner, 'germeval2014-de/NER-de-dev.tsv')), true)), repeat: 1 }],
        eval: [{ name: 'germeval-test', docs: splitDocs(readConll(need(join(ner, 'germeval2014-de/NER-de-test.tsv')), true)) }],
      };
    case 'it':
      return {
        language,
        train: [{ name: 'kind-it WN_train', docs: splitDocs(readConll(need(join(ner, 'kind-it/WN_train.tsv')))), repeat: 1 }],
        eval: [{ name: 'kind-WN_dev', docs: splitDocs(readConll(need(join(ner, 'kind-it/WN_dev.tsv')))) }],
      };
    case 'ru':
      return {
        language,
        train: [{ name: 'factrueval-ru devset', docs: readConll(need(join(ner, 'factrueval-ru/devset.bio'))), repeat: 1 }],
        eval: [{ name: 'factrueval-test', docs: readConll(need(join(ner, 'factrueval-ru/testset.bio'))) }],
      };
    default:
      throw new Error(`no NER training data for language '${language}' (have: ${LANGUAGES.join(', ')})`);
  }
}
