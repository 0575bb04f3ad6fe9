import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, day, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin outlet "<name>" [options]

The profile of one outlet: articles and dates; persuasion techniques (spans
and articles); frames, genres and narratives (articles); who it casts as
protagonist, antagonist or innocent; the people it quotes most; and its
near-duplicate pairs with other articles (copies). The name is matched without
case or a leading www. ('unspin outlets' lists the names).

Options:
${DB_HELP}
  --top <n>          rows per section (default 10)
  --json             print the whole profile as JSON
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const command: Command = {
  name: 'outlet',
  summary: "one outlet's profile: techniques, frames, genres, narratives, roles, speakers, copies",
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...DB_OPTION, top: { type: 'string' }, json: { type: 'boolean' } });
    const name = positionals.join(' ').trim();
    if (!name) throw new UsageError('give the name of an outlet (see unspin outlets)');
    const top = values.top === undefined ? 10 : Number(values.top);
    if (!Number.isInteger(top) || top <= 0) throw new UsageError('--top needs a positive whole number');
    return withStore(values.db, async (store) => {
      const p = await store.outlet(name);
      if (!p) throw new UserError(`no article from an outlet called "${name}" is stored (try 'unspin outlets')`);
      if (values.json) {
        io.stdout.write(JSON.stringify(p, null, 2) + '\n');
        return 0;
      }
      const out: string[] = [p.outlet, `${plural(p.articles, 'article')}, ${day(p.firstSeen)} to ${day(p.lastSeen)}`];
      const section = <T>(title: string, rows: T[], line: (r: T) => string, empty: string) => {
        out.push('', `${title}:`);
        if (!rows.length) out.push(`  ${empty}`);
        for (const r of rows.slice(0, top)) out.push(`  ${line(r)}`);
        if (rows.length > top) out.push(`  … ${rows.length - top} more (--top or --json)`);
      };
      section('Techniques', p.techniques, (t) => `${t.technique}: ${plural(t.spans, 'span')} in ${plural(t.articles, 'article')}`, 'none found');
      section('Frames', p.frames, (f) => `${f.frame}: ${plural(f.articles, 'article')}`, 'none found');
      section('Genres', p.genres, (g) => `${g.genre}: ${plural(g.articles, 'article')}`, 'none recorded');
      section('Narratives', p.narratives, (n) => `${n.narrative}: ${plural(n.articles, 'article')}`, 'none recorded (articles stored without the narratives layer)');
      section('Cast as', p.roles, (r) => `${r.name}: ${r.main} in ${plural(r.articles, 'article')}`, 'no entity roles recorded');
      section('Quoted most', p.speakers, (s) => `${s.name}: ${plural(s.quotes, 'quote')} in ${plural(s.articles, 'article')}`, 'no named speakers');
      section('Copies', p.copies, (c) => `#${c.a} (${c.outletA ?? '?'}) ~ #${c.b} (${c.outletB ?? '?'}): ${Math.round(c.similarity * 100)}%`, 'no near-duplicates');
      io.stdout.write(out.join('\n') + '\n');
      return 0;
    }, { mustExist: true });
  },
};

export default command;
