import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UserError } from '../command.ts';
import { parse } from '../args.ts';
import { evaluate, tokensPerSecond } from '../../models/ner/train.ts';
import { loadEnglish } from '../../models/ner/conll.ts';
import { formatTable } from '../../models/ner/conlleval.ts';
import { nerModel } from '../../models/ner/index.ts';

const usage = `Usage: unspin eval entities [--data DIR] [--speed]

Scores the committed NER model (models/ner/en.bin.gz) with conlleval's
entity-level P/R/F1 (exact span and type) on CoNLL-2003 eng.testa and on the
held-out fifth of wikigold (documents with index % 5 == 4); neither is used
for training.

  --data DIR   corpora folder (default ../shared/corpora)
  --speed      also print the tagger's tokens/s on eng.testa (one core, CPU time)
`;

const command: Command = {
  name: 'eval-entities',
  summary: 'score the NER tagger (conlleval F1 on CoNLL testa and wikigold held-out)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora' },
      speed: { type: 'boolean', default: false },
    });
    let data;
    try {
      data = loadEnglish(resolve(values.data!));
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    const model = nerModel();
    io.stdout.write(`model ${model.header.name}@${model.header.version}\n`);
    // Speed first, while the word cache is cold.
    let speed = '';
    if (values.speed) {
      const { cold, warm, tokens } = tokensPerSecond(model, data.conllTesta);
      speed = `tagger speed on eng.testa (${tokens} tokens, one core, CPU time): ${cold.toFixed(0)} tokens/s first pass (cold word cache), ${warm.toFixed(0)} tokens/s warm\n`;
    }
    io.stdout.write(
      formatTable([
        { set: 'conll-testa', result: evaluate(model, data.conllTesta) },
        { set: 'wikigold-heldout', result: evaluate(model, data.wikigoldHeldOut) },
      ]) + '\n',
    );
    io.stdout.write(speed);
    return 0;
  },
};

export default command;
