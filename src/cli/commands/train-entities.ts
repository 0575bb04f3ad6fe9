import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UserError } from '../command.ts';
import { parse } from '../args.ts';
import { trainEnglish, evaluate } from '../../models/ner/train.ts';
import { loadEnglish } from '../../models/ner/conll.ts';
import { formatTable } from '../../models/ner/conlleval.ts';
import { MODEL_PATH } from '../../models/ner/index.ts';

const usage = `Usage: unspin train entities [--data DIR] [--epochs N] [--seed N] [--out FILE] [--carve-dev]

Trains the English NER tagger (averaged perceptron, PER/ORG/LOC/MISC) on
CoNLL-2003 eng.train + wikigold (minus the held-out fifth) + WNUT-17 train,
writes models/ner/en.bin.gz, and prints time, peak memory and F1 on
CoNLL eng.testa and the wikigold held-out part (neither used for training).

  --data DIR      corpora folder (default ../shared/corpora)
  --epochs N      training passes (default 8)
  --seed N        shuffling seed (default 13)
  --min-weight X  drop averaged weights below X when saving (default 0.02)
  --out FILE      where to write the model (default models/ner/en.bin.gz)
  --carve-dev     hold out the last 10% of eng.train and print its F1 per epoch
`;

const command: Command = {
  name: 'train-entities',
  summary: 'train the NER tagger used by the entities stage',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora' },
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
        result = trainEnglish({
          corpora: resolve(values.data!),
          epochs: Number(values.epochs),
          seed: Number(values.seed),
          minWeight: Number(values['min-weight']),
          carveDev: values['carve-dev'],
          log: (l) => {
            sample();
            io.stdout.write(l + '\n');
          },
        });
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const out = resolve(values.out ?? MODEL_PATH);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, result.file);
      sample();
      const secs = (performance.now() - t0) / 1000;
      io.stdout.write(`wrote ${out} (${(result.file.length / 1024).toFixed(0)} KiB, ${result.model.header.rows} feature rows)\n`);
      io.stdout.write(`training time ${secs.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB\n`);
      const data = loadEnglish(resolve(values.data!));
      io.stdout.write(
        formatTable([
          { set: 'conll-testa', result: evaluate(result.model, data.conllTesta) },
          { set: 'wikigold-heldout', result: evaluate(result.model, data.wikigoldHeldOut) },
        ]) + '\n',
      );
      return 0;
    } finally {
      clearInterval(timer);
    }
  },
};

export default command;
