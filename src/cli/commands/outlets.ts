import type { Command } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, csvLine, day, positiveInt, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin outlets [options]

The outlets in the corpus, most articles first, with the first and last
publication date seen (the storage date for undated articles). Outlet names
that differ only in case or a leading www. count as one outlet.

Options:
${DB_HELP}
  --limit <n>        outlets to show (default all)
  --csv              print CSV (outlet,articles,first_seen,last_seen)
  --json             print JSON
`;

const command: Command = {
  name: 'outlets',
  summary: 'outlets with article counts and first/last seen',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, { ...DB_OPTION, limit: { type: 'string' }, csv: { type: 'boolean' }, json: { type: 'boolean' } });
    const limit = positiveInt(values.limit, 'limit', Number.MAX_SAFE_INTEGER);
    return withStore(values.db, async (store) => {
      const rows = (await store.outlets()).slice(0, limit);
      if (values.json) {
        io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (values.csv) {
        io.stdout.write(csvLine(['outlet', 'articles', 'first_seen', 'last_seen']));
        for (const r of rows) io.stdout.write(csvLine([r.outlet, r.articles, r.firstSeen, r.lastSeen]));
      } else if (!rows.length) {
        io.stdout.write('no articles with an outlet in the corpus\n');
      } else {
        const w = Math.min(40, Math.max(6, ...rows.map((r) => r.outlet.length)));
        io.stdout.write(`${'outlet'.padEnd(w)}  articles  first seen  last seen\n`);
        for (const r of rows) io.stdout.write(`${r.outlet.slice(0, w).padEnd(w)}  ${String(r.articles).padStart(8)}  ${day(r.firstSeen).padEnd(10)}  ${day(r.lastSeen)}\n`);
      }
      return 0;
    }, { mustExist: true });
  },
};

export default command;
