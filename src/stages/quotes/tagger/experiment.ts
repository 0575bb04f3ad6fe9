/**
 * Selection harness for the attribution tagger: trains on nine tenths of
 * PolNeAR train and scores the whole quotes stage on the held-out tenth
 * (every tenth article by sorted document id, all its annotation files), so
 * that feature, epoch and decoding choices are made without looking at dev.
 *
 *   node --import tsx src/stages/quotes/tagger/experiment.ts [--data FILE] [--epochs N] [--bias a,b,c]
 *        [--save FILE | --load FILE] [--modes hybrid,tagger,rules]
 *
 * --bias lists values subtracted from the O label's emission score at
 * decoding (a recall / precision trade-off); each is scored on the held-out tenth.
 * --save writes the nine-tenths model (uncompressed model file) and --load
 * scores such a file again without training.
 *
 * Session 6 options (README "Session 6"): --ctp 1|2 [--ctp-at -1,0,1] adds the complement-taking
 * propensity features (propensity.ts; the table is counted over the fit tenths' texts and the other
 * unlabeled English articles, never the held-out tenth; pass --ctp again with --load); --self MODEL
 * [--self-gap G] [--self-weight W] adds the units a fit-tenths model is sure of in those articles
 * (selftrain.ts); --dups more keeps one annotation file per article (the one with more relations).
 */
import { parseArgs } from 'node:util';
import { loadPolnear, type PolnearDoc } from '../../../eval/attribution/polnear.ts';
import { evaluate, ELEMENTS } from '../../../eval/attribution/run.ts';
import { prf } from '../../../eval/attribution/score.ts';
import { docUnits, train, trainStacked, type StackTrainUnit, type TrainAlgo } from './train.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeModel, encodeModel, setTagger, type Weights } from './model.ts';
import { gateStats, setDanglingFix } from './decode.ts';
import { setSourcelessFilter } from '../index.ts';
import { cueWordsFrom, setMeaningFeatures, setStackOptions, type MeaningFeatures } from './features.ts';
import { cueFormsOf } from '../../../eval/attribution/derive-cues.ts';
import { otherPool, propensityFrom } from './propensity.ts';
import { setPropensityTable } from './features.ts';
import { pseudoLabel } from './selftrain.ts';

/** Split of PolNeAR train used for every selection: held-out = every tenth document id (sorted). */
export function splitTrain(docs: PolnearDoc[], every = 10, fold = 0): { fit: PolnearDoc[]; held: PolnearDoc[] } {
  const ids = [...new Set(docs.map((d) => d.id))].sort();
  const heldIds = new Set(ids.filter((_, i) => i % every === fold));
  return { fit: docs.filter((d) => !heldIds.has(d.id)), held: docs.filter((d) => heldIds.has(d.id)) };
}

/** Training units of the documents; `doc` numbers the article (all its annotation files share it). */
export function unitsOf(docs: PolnearDoc[]): StackTrainUnit[] {
  const ids = [...new Set(docs.map((d) => d.id))].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const units: StackTrainUnit[] = [];
  for (const d of docs) {
    const du = docUnits(d.text, d.attributions);
    du.feats.forEach((f, i) => units.push({ feats: f, gold: du.gold[i], vecs: du.vecs[i], groups: du.groups[i], ctx: du.ctx[i], doc: index.get(d.id)! }));
  }
  return units;
}

export function scoreLine(docs: PolnearDoc[], mode: 'hybrid' | 'tagger' | 'rules'): string {
  const r = evaluate(docs, { mode });
  const cells = ELEMENTS.map((el) => {
    const c = r.full[el];
    const e = prf(c.exact, c.pred, c.gold);
    const o = prf(c.overlap, c.pred, c.gold);
    return `${el} ex ${(100 * e.f).toFixed(1)} ov ${(100 * o.p).toFixed(1)}/${(100 * o.r).toFixed(1)}/${(100 * o.f).toFixed(1)}`;
  });
  return `${mode.padEnd(6)} ${cells.join(' | ')}`;
}

if (process.argv[1]?.endsWith('experiment.ts')) {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/corpora/polnear/train.jsonl' },
      epochs: { type: 'string', default: '20' },
      bias: { type: 'string', default: '0' },
      every: { type: 'string', default: '10' },
      // Another tenth as held-out (fold k: every tenth id starting at the k-th), to check a result on a second split.
      fold: { type: 'string', default: '0' },
      'cue-conj': { type: 'boolean', default: false },
      dense: { type: 'string', default: '0' },
      conj: { type: 'string', default: '-1' },
      'dense-at': { type: 'string', default: '0' },
      'dense-by': { type: 'string' },
      save: { type: 'string' },
      load: { type: 'string' },
      modes: { type: 'string', default: 'hybrid,tagger' },
      // Word-vector features: clusters as o:level pairs ("0:0,0:1,-1:1"), cue-likeness and where it is seen.
      clusters: { type: 'string', default: '' },
      'cue-like': { type: 'string', default: 'none' },
      'cue-at': { type: 'string', default: '0' },
      'cue-min': { type: 'string', default: '3' },
      'cue-ratio': { type: 'string', default: '0.25' },
      prefilter: { type: 'string', default: '0' },
      // Cost-sensitive training: margins for a missed gold source/cue/content label and for an added one.
      'cost-miss': { type: 'string', default: '0' },
      'cost-add': { type: 'string', default: '0' },
      'cost-weight': { type: 'string', default: '1' },
      // Two-pass tagger: number of cross-fitting parts (0: one pass) and the second pass's epochs.
      stack: { type: 'string', default: '0' },
      'stack-epochs': { type: 'string' },
      'stack-alone': { type: 'boolean', default: false },
      'stack-full': { type: 'boolean', default: false },
      // Second-pass feature groups (features.ts StackOptions).
      'stack-nolex': { type: 'boolean', default: false },
      'stack-base': { type: 'boolean', default: false },
      // Values subtracted from the second pass's O score at decoding (as --bias for the first pass).
      'stack-bias': { type: 'string', default: '0' },
      // Training algorithm (TrainAlgo in train.ts), same decoding cost: several shuffles averaged into
      // one table, passive-aggressive steps, a decaying step.
      seeds: { type: 'string', default: '1' },
      update: { type: 'string', default: 'perceptron' },
      C: { type: 'string', default: '1' },
      hamming: { type: 'string', default: '1' },
      decay: { type: 'string', default: '0' },
      // Several algorithms in one run (sharing the features), ';'-separated, each a ','-separated list
      // of key=value over the keys above (seeds, update, C, hamming, decay, epochs), e.g. "seeds=3;update=pa,C=0.1".
      algos: { type: 'string' },
      // Confidence gates for a whole-tagger second pass (Weights.gate), ','-separated; 'all': no gate.
      gate: { type: 'string', default: 'all' },
      // The decoder's dangling-content fix off (decode.ts extendDangling).
      'no-dangling': { type: 'boolean', default: false },
      // The stage's filter of sourceless tagger relations on unknown one-word cues off (index.ts unknownCue).
      'no-sourceless-filter': { type: 'boolean', default: false },
      // Complement-taking propensity features (features.ts MeaningFeatures.ctp), counted over the fit
      // tenths' PolNeAR texts plus (pool 'all') the other unlabeled English articles of the corpora.
      ctp: { type: 'string', default: '0' },
      'ctp-at': { type: 'string', default: '0' },
      'ctp-pool': { type: 'string', default: 'all' },
      corpora: { type: 'string', default: '../shared/corpora' },
      // Self-training: a model file (trained on the same fit tenths) labels the other unlabeled
      // articles; its confident units (first-pass gap ≥ --self-gap, a cue among the labels) join
      // the training units with weight --self-weight.
      self: { type: 'string' },
      'self-gap': { type: 'string', default: '1' },
      'self-weight': { type: 'string', default: '0.5' },
      // Annotator duplicates: 'both' (every annotation file), 'more' (per article, the file with more relations).
      dups: { type: 'string', default: 'both' },
    },
  });
  const t0 = performance.now();
  const { fit, held } = splitTrain(loadPolnear(values.data!), Number(values.every), Number(values.fold));
  const meaning: MeaningFeatures = {
    clusters: values.clusters ? values.clusters.split(',').map((p) => p.split(':').map(Number) as [number, number]) : [],
    cueLike: values['cue-like'] as MeaningFeatures['cueLike'],
    cueLikeAt: values['cue-like'] === 'none' ? [] : values['cue-at']!.split(',').map(Number),
    // Cue words from the nine tenths only.
    cueWords: values['cue-like'] === 'none' ? [] : cueWordsFrom(cueFormsOf(fit), Number(values['cue-min']), Number(values['cue-ratio'])),
    prefilter: Number(values.prefilter),
    cueLikeConj: values['cue-conj'],
    dense: Number(values.dense),
    clusterConj: Number(values.conj),
    denseAt: values['dense-at']!.split(',').map(Number),
    denseBy: values['dense-by'] as MeaningFeatures['denseBy'],
    ...(Number(values.ctp) ? { ctp: Number(values.ctp), ctpAt: values['ctp-at']!.split(',').map(Number) } : {}),
  };
  if (meaning.ctp) {
    // The table never sees the held-out tenth's texts.
    const texts = [...new Set(fit.map((d) => d.text))];
    if (values['ctp-pool'] === 'all') texts.push(...otherPool(values.corpora!));
    const table = propensityFrom(texts);
    setPropensityTable(table);
    console.log(`propensity table: ${table.size} forms from ${texts.length} texts`);
  }
  setMeaningFeatures(meaning);
  setDanglingFix(!values['no-dangling']);
  setSourcelessFilter(!values['no-sourceless-filter']);
  setStackOptions({ lex: !values['stack-nolex'], base: values['stack-base']! });
  console.log(`meaning features: ${JSON.stringify({ ...meaning, cueWords: meaning.cueWords.length })}`);
  const header = { name: 'quotes-tagger', version: 'experiment', trained: '', data: '', epochs: Number(values.epochs) };
  const algoOf = (kv: Record<string, string>): { algo: TrainAlgo; epochs: number } => ({
    algo: { seeds: Number(kv.seeds ?? values.seeds), update: (kv.update ?? values.update) as TrainAlgo['update'], C: Number(kv.C ?? values.C), hamming: Number(kv.hamming ?? values.hamming), decay: Number(kv.decay ?? values.decay) },
    epochs: Number(kv.epochs ?? values.epochs),
  });
  const variants = values.algos
    ? values.algos.split(';').map((v) => algoOf(Object.fromEntries(v.split(',').filter(Boolean).map((p) => p.split('=') as [string, string]))))
    : [algoOf({})];
  if (values.dups === 'more') {
    // One annotation file per article: the one with the most relations (the first on a tie).
    const best = new Map<string, PolnearDoc>();
    for (const d of fit) if ((best.get(d.id)?.attributions.length ?? -1) < d.attributions.length) best.set(d.id, d);
    const keep = new Set(best.values());
    const before = fit.length;
    fit.splice(0, fit.length, ...fit.filter((d) => keep.has(d)));
    console.log(`annotator duplicates: ${before} fit files -> ${fit.length}`);
  }
  const units = values.load ? [] : unitsOf(fit);
  if (values.self && !values.load) {
    const t2 = performance.now();
    const pool = otherPool(values.corpora!);
    const pseudo = pseudoLabel(pool, decodeModel(readFileSync(values.self)).weights, Number(values['self-gap']));
    // Back to this run's features (loading the model set its own).
    setMeaningFeatures(meaning);
    const firstDoc = new Set(fit.map((d) => d.id)).size;
    const byText = new Map<number, typeof pseudo>();
    for (const p of pseudo) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
    let added = 0;
    for (const [ti, ps] of byText) {
      const du = docUnits(pool[ti]);
      for (const p of ps) {
        if (du.feats[p.unit].length !== p.labels.length) throw new Error('self-training: unit mismatch');
        units.push({ feats: du.feats[p.unit], gold: p.labels, vecs: du.vecs[p.unit], groups: du.groups[p.unit], ctx: du.ctx[p.unit], doc: firstDoc + ti, weight: Number(values['self-weight']) });
        added++;
      }
    }
    console.log(`self-training: ${added} units from ${byText.size} of ${pool.length} texts (gap >= ${values['self-gap']}, weight ${values['self-weight']}) in ${((performance.now() - t2) / 1000).toFixed(0)} s`);
  }
  if (!values.load) console.log(`${fit.length} fit files, ${held.length} held-out files, ${units.length} units; features ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  for (const { algo, epochs } of variants) {
  let weights: Weights;
  if (values.load) {
    weights = decodeModel(readFileSync(values.load)).weights;
  } else {
    const t1 = performance.now();
    const cost = { miss: Number(values['cost-miss']), add: Number(values['cost-add']), weight: Number(values['cost-weight']) };
    const parts = Number(values.stack);
    weights = parts
      ? trainStacked(units, epochs, { parts, cost, algo, alone: values['stack-alone'], full: values['stack-full'], stackEpochs: values['stack-epochs'] ? Number(values['stack-epochs']) : undefined, log: (m) => (m.startsWith('first') ? console.log(m) : undefined) })
      : train(units, epochs, undefined, cost, undefined, undefined, algo);
    console.log(`algo ${JSON.stringify(algo)}: trained ${epochs} epochs in ${((performance.now() - t1) / 1000).toFixed(0)} s (fold ${values.fold})`);
    if (values.save) writeFileSync(values.save, encodeModel(weights, header));
  }
  for (const gate of values.gate!.split(',')) for (const sb of values['stack-bias']!.split(',').map(Number)) for (const b of values.bias!.split(',').map(Number)) {
    if (weights.stack) {
      weights = { ...weights, stack: { ...weights.stack, gate: gate === 'all' ? undefined : Number(gate), labelBias: sb ? Float32Array.of(-sb, 0, 0, 0, 0, 0, 0) : undefined } };
      console.log(`second-pass bias ${sb}, gate ${gate}`);
      gateStats.units = gateStats.second = 0;
    }
    setTagger({ header: { ...header, scale: 1, featureVersion: 0, hashBits: 0 }, weights: { ...weights, labelBias: b ? Float32Array.of(-b, 0, 0, 0, 0, 0, 0) : undefined } });
    if (weights.stack && values.modes!.includes('one-pass')) {
      setTagger({ header: { ...header, scale: 1, featureVersion: 0, hashBits: 0 }, weights: { ...weights, stack: undefined } });
      console.log('first pass alone');
      console.log(scoreLine(held, 'hybrid'));
      setTagger({ header: { ...header, scale: 1, featureVersion: 0, hashBits: 0 }, weights });
    }
    console.log(`bias ${b}`);
    for (const m of values.modes!.split(',')) if (m !== 'one-pass') console.log(scoreLine(held, m as 'hybrid'));
    if (weights.stack?.gate !== undefined) console.log(`gate ${gate}: second pass on ${gateStats.second} of ${gateStats.units} tagged units (${((100 * gateStats.second) / Math.max(1, gateStats.units)).toFixed(1)}%)`);
  }
  }
}
