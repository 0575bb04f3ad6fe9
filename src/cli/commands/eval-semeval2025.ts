import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { parseMentionLines, parseNarrativeLines } from '../../corpora/semeval2025/index.ts';
import { meanStd, scoreNarratives, scoreRoles, ScoreError } from '../../eval/semeval2025/index.ts';

const usage = `Usage: unspin eval semeval2025 --task 1|2 --gold FILE --pred FILE [--json]

Scores SemEval-2025 Task 10 predictions with the official metrics.

Task 1 (entity roles): exact-match ratio of the set of fine roles per gold
mention (the ranked measure), main-role accuracy, micro P/R/F1 over fine
roles. Mentions are keyed by (id, mention without ", start, end); the key
sets must match.

Task 2 (narratives): per-document F1 over the scorer's class list, averaged
over documents, for narratives (coarse) and subnarratives (fine), with the
std over documents; documents aligned by id (the id sets must match). Also
prints both figures on the documents whose gold is not Other.
`;

function read(path: string | undefined, flag: string): string {
  if (!path) throw new UsageError(`${flag} FILE is required`);
  const p = resolve(path);
  if (!existsSync(p)) throw new UserError(`file not found: ${p}`);
  return readFileSync(p, 'utf8');
}

const command: Command = {
  name: 'eval-semeval2025',
  summary: 'score SemEval-2025 Task 10 predictions (1: role exact match, 2: narrative F1) with the official metrics',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, { task: { type: 'string' }, gold: { type: 'string' }, pred: { type: 'string' }, json: { type: 'boolean' } });
    if (values.task !== '1' && values.task !== '2') throw new UsageError('--task must be 1 or 2');
    const gold = read(values.gold, '--gold');
    const pred = read(values.pred, '--pred');
    // The official files have tab-separated columns: 3 for task 2 (document, narratives,
    // subnarratives), at least 6 for task 1 (document, mention, start, end, main role, fine roles).
    const columns = values.task === '1' ? 6 : 3;
    for (const [flag, text, path] of [['--gold', gold, values.gold], ['--pred', pred, values.pred]] as const) {
      const bad = text.split(/\r?\n/).findIndex((l) => l.trim() !== '' && l.split('\t').length < columns);
      if (bad >= 0) throw new UserError(`${flag} ${path}:${bad + 1}: expected ${columns} tab-separated columns for task ${values.task}`);
    }
    try {
      if (values.task === '1') {
        const s = scoreRoles(parseMentionLines(gold), parseMentionLines(pred));
        if (values.json) io.stdout.write(JSON.stringify(s) + '\n');
        else
          io.stdout.write(
            `mentions: ${s.n}\nexact match ratio (fine roles): ${s.emr.toFixed(4)}\nmain-role accuracy: ${s.mainAccuracy.toFixed(4)}\n` +
              `fine roles micro P/R/F1: ${s.micro.precision.toFixed(4)} / ${s.micro.recall.toFixed(4)} / ${s.micro.f1.toFixed(4)}\n`,
          );
      } else {
        const g = parseNarrativeLines(gold);
        const s = scoreNarratives(g, parseNarrativeLines(pred));
        const narr = s.perDoc.filter((_, i) => !(g[i].narratives.length === 1 && g[i].narratives[0] === 'Other'));
        const cn = meanStd(narr.map((d) => d.coarse));
        const fn = meanStd(narr.map((d) => d.fine));
        if (values.json) io.stdout.write(JSON.stringify({ coarse: s.coarse, fine: s.fine, narrativeBearing: { coarse: cn, fine: fn } }) + '\n');
        else
          io.stdout.write(
            `documents: ${s.coarse.n}\nF1 narratives (coarse): ${s.coarse.mean.toFixed(4)} (std ${s.coarse.std.toFixed(4)})\n` +
              `F1 subnarratives (fine): ${s.fine.mean.toFixed(4)} (std ${s.fine.std.toFixed(4)})\n` +
              `on the ${cn.n} narrative-bearing documents: ${cn.mean.toFixed(4)} / ${fn.mean.toFixed(4)}\n`,
          );
      }
    } catch (e) {
      if (e instanceof ScoreError) throw new UserError(e.message);
      throw e;
    }
    return 0;
  },
};

export default command;
