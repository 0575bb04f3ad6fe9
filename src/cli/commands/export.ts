import { createWriteStream } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, withStore } from '../../store/cli.ts';
import { exportLines, type ExportFormat } from '../../store/export.ts';

const usage = `Usage: unspin export --format <format> [--out <file>] [options]

Writes the stored corpus out.

Formats:
  jsonl            one Analysis (unspin/analysis@1) per line
  quotes-csv       one row per quote: article, outlet, date, url, quote, speaker, person, act
                   (speech, thought, evidence or other)
  techniques-csv   one row per technique span: article, outlet, date, url, technique, offsets, text
  speakers-csv     one row per person: name, variants, articles, quotes, outlets, first/last seen
  narratives-csv   one row per narrative or subnarrative of an article: article, outlet, date, url,
                   narrative, parent, source, taxonomy, confidence, evidence offsets (start-end;…)
  roles-csv        one row per entity role of an article: article, outlet, date, url, entity id,
                   name, main role and confidence, fine role and confidence, mentions
  semeval-genre    SemEval-2023 Task 3 subtask 1 file: article<TAB>genre
  semeval-frames   subtask 2 file: article<TAB>frame,frame…
  semeval-paragraphs  subtask 3 file: article<TAB>line<TAB>technique,technique… (lines of the
                   stored text, numbered from 1 as the organisers do)
  semeval-spans    technique spans: article<TAB>technique<TAB>start<TAB>end (code points)
The SemEval files use the store's article id as the article id.

Options:
${DB_HELP}
  --format <f>      one of the formats above (required)
  --out <file>      write to this file instead of stdout
`;

const FORMATS = ['jsonl', 'quotes-csv', 'techniques-csv', 'speakers-csv', 'narratives-csv', 'roles-csv', 'semeval-genre', 'semeval-frames', 'semeval-paragraphs', 'semeval-spans'];
const BATCH = 500;

class Closed extends Error {}

const command: Command = {
  name: 'export',
  summary: 'export the corpus as JSONL Analyses or CSV of quotes, techniques, speakers, narratives, roles',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...DB_OPTION, format: { type: 'string' }, out: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const format = values.format;
    if (!format || !FORMATS.includes(format)) throw new UsageError(`--format needs one of ${FORMATS.join(', ')}`);
    return withStore(values.db, async (store) => {
      let out: NodeJS.WritableStream = io.stdout;
      let file: ReturnType<typeof createWriteStream> | null = null;
      if (values.out) {
        file = createWriteStream(values.out);
        await new Promise<void>((resolve, reject) => {
          file!.once('open', () => resolve());
          file!.once('error', (e) => reject(new UserError(`cannot write ${values.out}: ${e.message}`)));
        });
        out = file;
      }
      // A closed pipe (`unspin export … | head`) ends the export quietly.
      let closed = false;
      out.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') closed = true;
        else throw e;
      });
      const write = async (s: string) => {
        if (closed) throw new Closed();
        if (!out.write(s)) await new Promise<void>((r) => { out.once('drain', () => r()); out.once('error', () => r()); });
      };
      let n = 0;
      try {
      if (format.startsWith('semeval-')) {
        const { formatArticleLabels, formatParagraphLabels, formatSpanLabels, paragraphLines } = await import('../../corpora/semeval2023/format.ts');
        const { utf16ToCodePointMap } = await import('../../corpora/offsets.ts');
        for (let after = 0; ; ) {
          const batch = await store.articles({ afterId: after, limit: BATCH });
          if (!batch.length) break;
          for (const stored of batch) {
            const a = await store.get(stored.id);
            if (!a) continue;
            const id = String(stored.id);
            let text = '';
            if (format === 'semeval-genre') {
              if (a.genre) text = formatArticleLabels([{ article: id, labels: [a.genre.label] }]);
            } else if (format === 'semeval-frames') {
              text = formatArticleLabels([{ article: id, labels: a.frames.map((f) => f.frame) }]);
            } else if (format === 'semeval-paragraphs') {
              const rows = paragraphLines(a.document.text).map((line) => {
                const labels = new Set<string>();
                for (const t of a.techniques) if (t.start < line.end && t.end > line.start) labels.add(t.technique);
                for (const pt of a.paragraphTechniques ?? []) {
                  const p = a.segments.paragraphs[pt.paragraph];
                  if (p && p.start < line.end && p.end > line.start) for (const x of pt.techniques) labels.add(x.technique);
                }
                return { article: id, paragraph: line.id, labels: [...labels].sort() };
              });
              text = formatParagraphLabels(rows);
            } else {
              const map = utf16ToCodePointMap(a.document.text);
              text = formatSpanLabels(a.techniques.map((t) => ({ article: id, technique: t.technique, start: map[t.start], end: map[t.end] })));
            }
            if (text) {
              await write(text);
              n += text.split('\n').length - 1;
            }
          }
          after = batch[batch.length - 1].id;
        }
      } else {
        // The corpus formats: the same lines as the server's /api/export, with LF line ends.
        const csv = format !== 'jsonl';
        for await (const line of exportLines(store, format as ExportFormat, '\n')) {
          await write(line);
          n++;
        }
        if (csv && n > 0) n--; // the header is no row
      }
      } catch (err) {
        if (!(err instanceof Closed)) throw err;
        return 0;
      }
      if (file) {
        await new Promise<void>((resolve) => file!.end(() => resolve()));
        io.stderr.write(`wrote ${n} ${format === 'jsonl' ? 'analyses' : 'rows'} to ${values.out}\n`);
      }
      return 0;
    }, { mustExist: true });
  },
};

export default command;
