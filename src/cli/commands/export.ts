import { createWriteStream } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, csvLine, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin export --format <format> [--out <file>] [options]

Writes the stored corpus out.

Formats:
  jsonl            one Analysis (unspin/analysis@1) per line
  quotes-csv       one row per quote: article, outlet, date, url, quote, speaker, person
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
export const NARRATIVE_COLUMNS = ['article_id', 'outlet', 'published', 'url', 'narrative', 'parent', 'source', 'taxonomy', 'confidence', 'evidence'];
export const ROLE_COLUMNS = ['article_id', 'outlet', 'published', 'url', 'entity', 'name', 'main', 'main_confidence', 'fine', 'fine_confidence', 'mentions'];

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
      } else if (format === 'jsonl') {
        for (let after = 0; ; ) {
          const batch = await store.articles({ afterId: after, limit: BATCH });
          if (!batch.length) break;
          for (const a of batch) {
            const analysis = await store.get(a.id);
            if (analysis) {
              await write(JSON.stringify(analysis) + '\n');
              n++;
            }
          }
          after = batch[batch.length - 1].id;
        }
      } else if (format === 'quotes-csv') {
        await write(csvLine(['article_id', 'outlet', 'published', 'url', 'quote_id', 'kind', 'start', 'end', 'text', 'cue', 'speaker', 'person']));
        for (let after = 0; ; ) {
          const ids = await store.articles({ afterId: after, limit: BATCH });
          if (!ids.length) break;
          const last = ids[ids.length - 1].id;
          for (const r of await store.quoteRows({ afterId: after, throughId: last })) {
            await write(csvLine([r.articleId, r.outlet, r.published, r.url, r.quoteId, r.kind, r.start, r.end, r.text, r.cue, r.speaker, r.person]));
            n++;
          }
          after = last;
        }
      } else if (format === 'techniques-csv') {
        await write(csvLine(['article_id', 'outlet', 'published', 'url', 'technique', 'start', 'end', 'text', 'confidence', 'voice']));
        for (let after = 0; ; ) {
          const ids = await store.articles({ afterId: after, limit: BATCH });
          if (!ids.length) break;
          const last = ids[ids.length - 1].id;
          for (const r of await store.techniqueRows({ afterId: after, throughId: last })) {
            await write(csvLine([r.articleId, r.outlet, r.published, r.url, r.technique, r.start, r.end, r.text, r.confidence, r.voice]));
            n++;
          }
          after = last;
        }
      } else if (format === 'narratives-csv' || format === 'roles-csv') {
        const narr = format === 'narratives-csv';
        await write(csvLine(narr ? NARRATIVE_COLUMNS : ROLE_COLUMNS));
        for (let after = 0; ; ) {
          const ids = await store.articles({ afterId: after, limit: BATCH });
          if (!ids.length) break;
          const last = ids[ids.length - 1].id;
          const rows = narr
            ? (await store.narrativeRows({ afterId: after, throughId: last })).map((r) => [r.articleId, r.outlet, r.published, r.url, r.narrative, r.parent, r.source, r.taxonomy, r.confidence, r.evidence])
            : (await store.roleRows({ afterId: after, throughId: last })).map((r) => [r.articleId, r.outlet, r.published, r.url, r.entity, r.name, r.main, r.mainConfidence, r.fine, r.fineConfidence, r.mentions]);
          for (const r of rows) {
            await write(csvLine(r));
            n++;
          }
          after = last;
        }
      } else {
        await write(csvLine(['name', 'variants', 'articles', 'quotes', 'outlets', 'first_seen', 'last_seen']));
        for (const r of await store.speakers({ limit: 1_000_000 })) {
          await write(csvLine([r.name, r.variants.join('; '), r.articles, r.quotes, r.outlets, r.firstSeen, r.lastSeen]));
          n++;
        }
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
