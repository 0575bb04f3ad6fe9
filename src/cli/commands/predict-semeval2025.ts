import { resolve, join, dirname } from 'node:path';
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { parseMentionLines, readDocuments } from '../../corpora/semeval2025/index.ts';
import { locateMention } from '../../corpora/semeval2025/offsets.ts';
import { formatNarrativeRow, formatRoleRow } from '../../eval/semeval2025/index.ts';
import { NarrativeModel, type NarrativeModelJSON, toRow } from '../../stages/narratives/model.ts';
import { RoleModel, type RoleModelJSON } from '../../stages/roles/model.ts';
import { docTokens, mentionFeatureStrings, sentenceAround } from '../../stages/roles/features.ts';

const usage = `Usage: unspin predict semeval2025 --task 1|2 --lang CODE --documents DIR --out FILE [--mentions FILE] [--order FILE] [--model FILE]

Writes SemEval-2025 Task 10 predictions in the official formats.

Task 2 (narratives): one line per document of DIR (*.txt):
  id <TAB> narratives joined by ";" <TAB> subnarratives joined by ";"
The official scorer pairs rows by file order, so pass --order with any file
whose first column lists the ids in the gold order (e.g. the gold file);
otherwise rows are sorted by id.

Task 1 (entity roles): the mentions to label come from --mentions (default:
DIR/../subtask-1-annotations.txt or DIR/../subtask-1-entity-mentions.txt),
whose first four columns (id, mention, start, end; UTF-16 units, inclusive
end) are echoed unchanged, followed by the main role and one fine role.

  --lang CODE   document language (EN, BG, HI, PT, RU …): picks the thresholds
  --model FILE  model file (default models/narratives/model.json or models/roles/model.json)
`;

function loadJson<T>(path: string): T {
  if (!existsSync(path)) throw new UserError(`model not found: ${path} (train it with 'unspin train narratives' or 'unspin train roles')`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { body: T }).body;
}

const command: Command = {
  name: 'predict-semeval2025',
  summary: 'SemEval-2025 Task 10 predictions (1: entity roles, 2: narratives) in the official formats',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      task: { type: 'string' },
      lang: { type: 'string' },
      documents: { type: 'string' },
      out: { type: 'string' },
      mentions: { type: 'string' },
      order: { type: 'string' },
      model: { type: 'string' },
    });
    const task = values.task;
    if (task !== '1' && task !== '2') throw new UsageError('--task must be 1 or 2');
    if (!values.documents) throw new UsageError('--documents DIR is required');
    if (!values.out) throw new UsageError('--out FILE is required');
    const lang = (values.lang ?? 'und').toUpperCase();
    const dir = resolve(values.documents);
    if (!existsSync(dir)) throw new UserError(`documents folder not found: ${dir}`);
    if (!statSync(dir).isDirectory()) throw new UserError(`--documents takes a folder of .txt documents; ${dir} is a file`);
    const docs = readDocuments(dir, lang);
    if (!docs.length) throw new UserError(`no .txt documents in ${dir}`);
    const lines: string[] = [];
    if (task === '2') {
      const model = NarrativeModel.fromJSON(loadJson<NarrativeModelJSON>(resolve(values.model ?? 'models/narratives/model.json')));
      let ordered = docs;
      if (values.order) {
        const byId = new Map(docs.map((d) => [d.id, d]));
        const ids = readFileSync(resolve(values.order), 'utf8').split(/\r?\n/).map((l) => l.split('\t')[0].trim()).filter(Boolean);
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length) throw new UserError(`${missing.length} ids of --order have no document (e.g. ${missing[0]})`);
        ordered = [...new Set(ids)].map((id) => byId.get(id)!);
      }
      for (const d of ordered) lines.push(formatNarrativeRow(toRow(d.id, model.predict(d.text, lang))));
    } else {
      const model = RoleModel.fromJSON(loadJson<RoleModelJSON>(resolve(values.model ?? 'models/roles/model.json')));
      const candidates = values.mentions ? [resolve(values.mentions)] : [join(dirname(dir), 'subtask-1-annotations.txt'), join(dirname(dir), 'subtask-1-entity-mentions.txt')];
      const mfile = candidates.find((p) => existsSync(p));
      if (!mfile) throw new UserError(`no mentions file: pass --mentions FILE (looked for ${candidates.join(', ')})`);
      const byId = new Map(docs.map((d) => [d.id, d]));
      const toks = new Map<string, ReturnType<typeof docTokens>>();
      // the model's article-level parts (the article's side, its fine-role columns), once per document
      const contexts = new Map<string, ReturnType<typeof model.articleContext>>();
      let unlocated = 0;
      for (const m of parseMentionLines(readFileSync(mfile, 'utf8'))) {
        const doc = byId.get(m.docId);
        if (!doc) throw new UserError(`mention of ${m.docId}, which is not in ${dir}`);
        let dt = toks.get(doc.id);
        if (!dt) toks.set(doc.id, (dt = docTokens(doc.text)));
        let actx = contexts.get(doc.id);
        if (!actx) contexts.set(doc.id, (actx = model.articleContext(dt, lang)));
        const loc = locateMention(doc.text, m.mention, m.start, m.end);
        if (!loc) unlocated++;
        const start = loc ? loc.start : Math.min(m.start, doc.text.length);
        const end = loc ? loc.end : Math.min(m.end + 1, doc.text.length);
        const [sentStart, sentEnd] = sentenceAround(doc.text, start, end);
        const p = model.predict(mentionFeatureStrings({ text: doc.text, start, end, sentStart, sentEnd }, dt), undefined, actx);
        lines.push(formatRoleRow({ docId: m.docId, mention: m.mention, start: m.start, end: m.end, main: p.main, fine: [p.fine] }));
      }
      if (unlocated) io.stderr.write(`${unlocated} mentions could not be located in their text; predicted from the given offsets\n`);
    }
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, lines.join('\n') + '\n');
    io.stderr.write(`wrote ${lines.length} predictions to ${out}\n`);
    return 0;
  },
};

export default command;
