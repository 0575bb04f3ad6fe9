import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UserError } from '../command.ts';
import { parse } from '../args.ts';
import { trainNer, evaluate } from '../../models/ner/train.ts';
import { loadLanguage } from '../../models/ner/conll.ts';
import { formatTable } from '../../models/ner/conlleval.ts';
import { modelPath } from '../../models/ner/index.ts';

const usage = `Usage: unspin train entities [--lang en|de|it|ru] [--data DIR] [--epochs N] [--seed N] [--out FILE] [--carve-dev]

Trains an NER tagger (averaged perceptron, PER/ORG/LOC/MISC), writes
models/ner/<lang>.bin.gz, and prints time, peak memory and conlleval F1 on
the evaluation sets (never used for training). English (default) trains on
CoNLL-2003 eng.train + wikigold (minus the held-out fifth, twice) + WNUT-17
train and is scored on CoNLL eng.testa and the wikigold held-out fifth.
German trains on GermEval-2014 dev (scored on its test file), Italian on
KIND Wikinews WN_train (scored on WN_dev), Russian on factRuEval dev
(scored on its test file).

  --lang CODE     language (default en)
  --data DIR      corpora folder (default ../shared/corpora)
  --epochs N      training passes (default 8)
  --seed N        shuffling seed (default 13)
  --min-weight X  drop averaged weights below X when saving (default 0.02)
  --out FILE      where to write the model (default models/ner/<lang>.bin.gz)
  --carve-dev     hold out the last 10% of eng.train and print its F1 per epoch
`;

const command: Command = {
  name: 'train-entities',
  summary: 'train the NER tagger used by the entities stage',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora' },
      lang: { type: 'string', default: 'en' },
      epochs: { type: 'string', default: '8' },
      seed: { type: 'string', default: '13' },
      'min-weight': { type: 'string', default: '0.02' },
      out: { type: 'string' },
      'carve-dev': { type: 'boolean', default: false },
    });
    const t0 = performance.now();
    let peak = 0;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const timer = setInterval(sample, 200);
    try {
      let result;
      try {
        result = trainNer({
          corpora: resolve(values.data!),
          language: values.lang,
          epochs: Number(values.epochs),
          seed: Number(values.seed),
          minWeight: Number(values['min-weight']),
          carveDev: values['carve-dev'],
          log: (l: string) => {
            sample();
            io.stdout.write(l + '\n');
          },
        });
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const out = resolve(values.out ?? modelPath(values.lang));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, result.file);
      sample();
      const secs = (performance.now() - t0) / 1000;
      io.stdout.write(`wrote ${out} (${(result.file.length / 1024).toFixed(0)} KiB, ${result.model.header.rows} feature rows)\n`);
      io.stdout.write(`training time ${secs.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB\n`);
      const data = loadLanguage(resolve(values.data!), values.lang!);
      io.stdout.write(formatTable(data.eval.map((e) => ({ set: e.name, result: evaluate(result.model, e.docs) }))) + '\n');
      return 0;
    } finally {
      clearInterval(timer);
    }
  },
};

export default command;
