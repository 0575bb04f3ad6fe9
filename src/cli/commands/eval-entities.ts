import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UserError } from '../command.ts';
import { parse } from '../args.ts';
import { evaluate, tokensPerSecond } from '../../models/ner/train.ts';
import { loadLanguage } from '../../models/ner/conll.ts';
import { formatTable } from '../../models/ner/conlleval.ts';
import { hasNerModel, nerModel } from '../../models/ner/index.ts';

const usage = `Usage: unspin eval entities [--lang en|de|it|ru] [--data DIR] [--speed]

Scores a committed NER model (models/ner/<lang>.bin.gz) with conlleval's
entity-level P/R/F1 (exact span and type). English: CoNLL-2003 eng.testa and
the held-out fifth of wikigold (documents with index % 5 == 4); German:
GermEval-2014 test; Italian: KIND WN_dev; Russian: factRuEval test. None of
them is used for training.

  --lang CODE  language (default en)
  --data DIR   corpora folder (default ../shared/corpora)
  --speed      also print the tagger's tokens/s on the first evaluation set (one core, CPU time)
`;

const command: Command = {
  name: 'eval-entities',
  summary: 'score the NER tagger (conlleval F1 on CoNLL testa and wikigold held-out)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora' },
      lang: { type: 'string', default: 'en' },
      speed: { type: 'boolean', default: false },
    });
    let data;
    try {
      data = loadLanguage(resolve(values.data!), values.lang!);
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    if (!hasNerModel(values.lang!)) throw new UserError(`no model for '${values.lang}': run unspin train entities --lang ${values.lang}`);
    const model = nerModel(values.lang);
    io.stdout.write(`model ${model.header.name}@${model.header.version}\n`);
    // Speed first, while the word cache is cold.
    let speed = '';
    if (values.speed) {
      const { cold, warm, tokens } = tokensPerSecond(model, data.eval[0].docs);
      speed = `tagger speed on ${data.eval[0].name} (${tokens} tokens, one core, CPU time): ${cold.toFixed(0)} tokens/s first pass (cold word cache), ${warm.toFixed(0)} tokens/s warm\n`;
    }
    io.stdout.write(formatTable(data.eval.map((e) => ({ set: e.name, result: evaluate(model, e.docs) }))) + '\n');
    io.stdout.write(speed);
    return 0;
  },
};

export default command;
