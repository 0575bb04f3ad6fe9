import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { loadPolnear, PolnearFormatError } from '../../eval/attribution/polnear.ts';
import { evaluate, formatTable } from '../../eval/attribution/run.ts';
import { ALGO_IN_USE, train, trainStacked, type TrainAlgo } from '../../stages/quotes/tagger/train.ts';
import { unitsOf } from '../../stages/quotes/tagger/experiment.ts';
import { MEANING_IN_USE, STACK_DEFAULT, setMeaningFeatures, setStackOptions } from '../../stages/quotes/tagger/features.ts';
import { encodeModel, MODEL_URL, setTagger } from '../../stages/quotes/tagger/model.ts';

const usage = `Usage: unspin train quotes [--data FILE] [--dev FILE] [--epochs N] [--stack K] [--gate G] [--update perceptron|pa] [--C C] [--out FILE]

Trains the attribution tagger of the quotes stage (averaged structured
perceptron over BIO labels for source, cue and content, with the rule
extractor's reading as features) on PolNeAR-format JSONL, writes
models/quotes/tagger.bin.gz, then scores the stage on --dev when it exists.

  --data FILE   training data (default ../shared/corpora/polnear/train.jsonl)
  --dev FILE    scored after training (default ../shared/corpora/polnear/dev.jsonl)
  --epochs N    passes over the data (default 20)
  --stack K     two passes: the second reads the first pass's tags, learnt from
                first passes cross-fitted over K parts of the articles (default 3,
                the committed model; 0: one pass)
  --gate G      with --stack: run the second pass only on units where the first
                pass's best path is within G of another path (default 0.25, the
                committed model; 'all': on every unit)
  --update U    weight steps: perceptron (unit steps) or pa (passive-aggressive,
                capped at --C); default: the algorithm in use (ALGO_IN_USE)
  --C C         cap of the passive-aggressive step (with --update pa)
  --out FILE    model path (default models/quotes/tagger.bin.gz)
`;

const command: Command = {
  name: 'train-quotes',
  summary: 'train the attribution tagger of the quotes stage on PolNeAR',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora/polnear/train.jsonl' },
      dev: { type: 'string', default: '../shared/corpora/polnear/dev.jsonl' },
      epochs: { type: 'string', default: '20' },
      stack: { type: 'string', default: '3' },
      gate: { type: 'string', default: '0.25' },
      update: { type: 'string' },
      C: { type: 'string' },
      out: { type: 'string' },
    });
    const epochs = Number(values.epochs);
    if (!(Number.isInteger(epochs) && epochs > 0)) throw new UsageError('--epochs takes a positive integer');
    const parts = Number(values.stack);
    if (!(Number.isInteger(parts) && (parts === 0 || parts >= 2))) throw new UsageError('--stack takes 0 or an integer of at least 2');
    const gate = values.gate === 'all' || !parts ? undefined : Number(values.gate);
    if (gate !== undefined && !(gate >= 0)) throw new UsageError("--gate takes a number of at least 0 or 'all'");
    if (values.update !== undefined && values.update !== 'perceptron' && values.update !== 'pa') throw new UsageError('--update takes perceptron or pa');
    const algo: TrainAlgo = { ...ALGO_IN_USE };
    if (values.update) algo.update = values.update as TrainAlgo['update'];
    if (values.C !== undefined) algo.C = Number(values.C);
    if (algo.C !== undefined && !(algo.C > 0)) throw new UsageError('--C takes a positive number');
    // `--data ../shared/corpora` (the folder every other `unspin train` takes) means its PolNeAR split.
    const asFolder = existsSync(resolve(values.data!)) && statSync(resolve(values.data!)).isDirectory();
    const dataArg = asFolder ? join(values.data!, 'polnear', 'train.jsonl') : values.data!;
    const devArg = asFolder && !argv.some((a) => a === '--dev' || a.startsWith('--dev=')) ? join(values.data!, 'polnear', 'dev.jsonl') : values.dev!;
    const data = resolve(dataArg);
    if (!existsSync(data)) throw new UserError(asFolder ? `no PolNeAR train split in ${values.data} (looked for ${dataArg})` : `no such file: ${values.data}`);
    if (statSync(data).isDirectory()) throw new UserError(`${dataArg} is a folder, not a PolNeAR .jsonl file`);
    const t0 = performance.now();
    let docs: ReturnType<typeof loadPolnear>;
    try {
      docs = loadPolnear(data);
    } catch (e) {
      if (e instanceof PolnearFormatError) throw new UserError(e.message);
      throw e;
    }
    setMeaningFeatures(MEANING_IN_USE);
    setStackOptions(STACK_DEFAULT);
    const units = unitsOf(docs);
    io.stdout.write(`${docs.length} annotation files, ${units.length} units\n`);
    const log = (m: string) => io.stdout.write(m + '\n');
    const weights = parts ? trainStacked(units, epochs, { parts, full: true, log, algo }) : train(units, epochs, log, {}, undefined, undefined, algo);
    if (weights.stack && gate !== undefined) weights.stack.gate = gate;
    const out = values.out ? resolve(values.out) : fileURLToPath(MODEL_URL);
    mkdirSync(dirname(out), { recursive: true });
    const header = { name: 'quotes-tagger', version: new Date().toISOString().slice(0, 10), trained: new Date().toISOString(), data: dataArg, epochs, stackParts: parts || undefined, algo };
    writeFileSync(out, gzipSync(encodeModel(weights, header), { level: 9 }));
    io.stdout.write(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    const dev = resolve(devArg);
    if (existsSync(dev)) {
      setTagger({ header: { ...header, scale: 1, featureVersion: 0, hashBits: 0 }, weights });
      io.stdout.write(formatTable(evaluate(loadPolnear(dev)), devArg) + '\n');
    }
    return 0;
  },
};

export default command;
