import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { formatTable, runFile } from '../../eval/attribution/run.ts';
import { PolnearFormatError } from '../../eval/attribution/polnear.ts';

const usage = `Usage: unspin eval attribution --data FILE.jsonl [--limit N] [--mode M] [--raw] [--json]

Scores the quotes layer on PolNeAR-format JSONL (one annotation file per line:
text + attributions[{source[], cue[], content[]}] with character offsets).
Each document runs through clean, segment, entities and quotes; spans are
mapped back to the raw text before scoring. Prints precision, recall and F1
for content, cue and source spans, with exact match (identical token sets)
and overlap match (|P∩G| / max(|P|,|G|) ≥ 0.5, one-to-one), on the full gold
and on the speech-only gold (cue head a communication verb, "according to"
or ":").

  --data FILE   e.g. ../shared/corpora/polnear/dev.jsonl
  --limit N     score only the first N annotation files
  --mode M      hybrid (default: rules + trained tagger), rules, or tagger
  --raw         skip the cleaner and run on the raw text
  --json        print the counts as JSON
`;

const command: Command = {
  name: 'eval-attribution',
  summary: 'score the quotes layer on PolNeAR (content/cue/source P/R/F1)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string' },
      limit: { type: 'string' },
      raw: { type: 'boolean', default: false },
      mode: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (!values.data) throw new UsageError('--data FILE.jsonl is required');
    const path = resolve(values.data);
    if (!existsSync(path)) throw new UserError(`no such file: ${values.data}`);
    if (statSync(path).isDirectory()) {
      const dev = join(values.data, 'polnear', 'dev.jsonl');
      throw new UserError(`${values.data} is a folder; --data takes one PolNeAR .jsonl file${existsSync(resolve(dev)) ? `, e.g. ${dev}` : ''}`);
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError('--limit takes a positive integer');
    const mode = values.mode as 'rules' | 'tagger' | 'hybrid' | undefined;
    if (mode !== undefined && !['rules', 'tagger', 'hybrid'].includes(mode)) throw new UsageError('--mode is one of hybrid, rules, tagger');
    let result: ReturnType<typeof runFile>;
    try {
      result = runFile(path, limit, { clean: !values.raw, mode });
    } catch (e) {
      if (e instanceof PolnearFormatError) throw new UserError(e.message);
      throw e;
    }
    io.stdout.write((values.json ? JSON.stringify(result, null, 2) : formatTable(result, values.data)) + '\n');
    return 0;
  },
};

export default command;
