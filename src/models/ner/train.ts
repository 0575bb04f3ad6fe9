/**
 * Training and evaluation of the NER taggers (used by `unspin train entities`
 * and `unspin eval entities`): English, plus German, Italian and Russian.
 */
import { TAG_INDEX, TAGS } from './tags.ts';
import { Trainer, rng, shuffled, type Sentence } from './perceptron.ts';
import { Featurizer, commonLowerWords } from './features.ts';
import { NerModel } from './model.ts';
import { conlleval, type EvalResult } from './conlleval.ts';
import { loadLanguage, type TaggedDoc } from './conll.ts';

export interface TrainOptions {
  corpora: string;
  /** ISO 639-1 code (en, de, it, ru); default en. */
  language?: string;
  epochs?: number;
  seed?: number;
  /** Drop averaged weights smaller than this when saving. */
  minWeight?: number;
  /** Hold out the last 10% of the first training set's documents (for choosing epochs); evaluation sets stay untouched. */
  carveDev?: boolean;
  /** Use only this fraction of each training set (while iterating). */
  fraction?: number;
  /** How many copies of the wikigold training part to mix in (it is small and unlike Reuters). */
  wikiRepeat?: number;
  log?: (line: string) => void;
}

export interface TrainResult {
  model: NerModel;
  file: Buffer;
  sentences: number;
  tokens: number;
  /** Per epoch: token accuracy on train and, with carveDev, F1 on the carved dev part. */
  epochs: { epoch: number; trainAcc: number; devF1?: number }[];
}

const toSentences = (docs: TaggedDoc[]): Sentence[] =>
  docs.flat().map((s) => ({ words: s.words, tags: s.tags.map((t) => TAG_INDEX[t] ?? 0) }));

export function trainNer(opts: TrainOptions): TrainResult {
  const log = opts.log ?? (() => {});
  const epochs = opts.epochs ?? 8;
  const seed = opts.seed ?? 13;
  const language = opts.language ?? 'en';
  const wikiRepeat = opts.wikiRepeat ?? 2;
  const data = loadLanguage(opts.corpora, language, wikiRepeat);
  const sets = data.train.map((x) => ({ ...x }));
  let dev: TaggedDoc[] = [];
  if (opts.carveDev) {
    const first = sets[0].docs;
    const cut = Math.floor(first.length * 0.9);
    dev = first.slice(cut);
    sets[0].docs = first.slice(0, cut);
  }
  const frac = opts.fraction ?? 1;
  const take = <T>(xs: T[]) => xs.slice(0, Math.ceil(xs.length * frac));
  const train: Sentence[] = [];
  for (const set of sets) {
    const sents = toSentences(take(set.docs));
    for (let r = 0; r < set.repeat; r++) train.push(...sents);
  }
  const tokens = train.reduce((n, s) => n + s.words.length, 0);
  // Tags never seen in training (MISC in Italian and Russian) are never predicted.
  const seen = new Set<string>();
  for (const s of train) for (const t of s.tags) seen.add(TAGS[t]);
  const tagsSeen = TAGS.filter((t) => seen.has(t));
  log(`training ner-${language} on ${train.length} sentences, ${tokens} tokens (${sets.map((x) => `${x.name}: ${take(x.docs).length} docs${x.repeat > 1 ? ` ×${x.repeat}` : ''}`).join('; ')})`);
  const trainer = new Trainer();
  const rand = rng(seed);
  const fz = new Featurizer();
  const common = commonLowerWords(train);
  fz.common = new Set(common);
  log(`${common.length} words are common in lower case`);
  const hist: TrainResult['epochs'] = [];
  for (let e = 1; e <= epochs; e++) {
    const t0 = performance.now();
    const acc = trainer.epoch(train, shuffled(train.length, rand), fz);
    const row: TrainResult['epochs'][number] = { epoch: e, trainAcc: acc };
    if (dev.length) {
      const { keys, weights } = trainer.averaged();
      const m = NerModel.decode(NerModel.encode({ name: `ner-${language}`, version: 'dev', commonLower: common }, keys, weights, opts.minWeight ?? 0));
      row.devF1 = evaluate(m, dev).overall.f1;
    }
    hist.push(row);
    log(`epoch ${e}: train token acc ${(100 * acc).toFixed(2)}%${row.devF1 !== undefined ? `, carved-dev F1 ${(100 * row.devF1).toFixed(2)}` : ''} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const { keys, weights } = trainer.averaged();
  const file = NerModel.encode(
    {
      name: `ner-${language}`,
      language,
      version: new Date().toISOString().slice(0, 10),
      epochs,
      seed,
      ...(language === 'en' ? { wikiRepeat } : {}),
      minWeight: opts.minWeight ?? 0,
      trainSentences: train.length,
      trainTokens: tokens,
      commonLower: common,
      tagsSeen,
      data: sets.map((x) => (x.repeat > 1 ? `${x.name} ×${x.repeat}` : x.name)),
    },
    keys,
    weights,
    opts.minWeight ?? 0,
  );
  return { model: NerModel.decode(file), file, sentences: train.length, tokens, epochs: hist };
}

export function evaluate(model: NerModel, docs: TaggedDoc[]): EvalResult {
  const sents = docs.flat();
  return conlleval(
    sents.map((s) => s.tags),
    sents.map((s) => model.tagIndices(s.words).map((t) => TAGS[t])),
  );
}

/**
 * Tokens per second of the tagger alone over the given sentences, on process
 * CPU time (the machine is shared, so wall time says little): the first pass
 * (cold word cache) and the best of `rounds` warm passes.
 */
export function tokensPerSecond(model: NerModel, docs: TaggedDoc[], rounds = 3): { cold: number; warm: number; tokens: number } {
  const sents = docs.flat().map((s) => s.words);
  const n = sents.reduce((a, s) => a + s.length, 0);
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  let c0 = process.cpuUsage();
  for (const s of sents) model.tagIndices(s);
  const cold = (n / cpuMs(process.cpuUsage(c0))) * 1000;
  let warm = 0;
  for (let r = 0; r < rounds; r++) {
    c0 = process.cpuUsage();
    for (const s of sents) model.tagIndices(s);
    warm = Math.max(warm, (n / cpuMs(process.cpuUsage(c0))) * 1000);
  }
  return { cold, warm, tokens: n };
}
