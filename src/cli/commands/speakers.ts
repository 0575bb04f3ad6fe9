import type { Command } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, day, positiveInt, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin speakers [options]

People quoted in the corpus, ranked by the number of articles that quote them,
then by quotes and outlets. Variants of one name ("Dana Voss", "Voss",
"D. Voss") count as one person when the corpus leaves no doubt.

Options:
${DB_HELP}
  --outlet <site>   only quotes in this outlet
  --limit <n>       people to list (default 30)
  --json            print the ranking as JSON
`;

const command: Command = {
  name: 'speakers',
  summary: 'rank quoted people by appearances (articles, quotes, outlets)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, { ...DB_OPTION, outlet: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
    const limit = positiveInt(values.limit, 'limit', 30);
    return withStore(values.db, async (store) => {
      const rows = await store.speakers({ limit, outlet: values.outlet });
      if (values.json) {
        io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return 0;
      }
      if (!rows.length) {
        io.stdout.write('no named speakers stored yet\n');
        return 0;
      }
      const w = Math.min(36, Math.max(7, ...rows.map((r) => r.name.length)));
      io.stdout.write(`${'#'.padStart(3)}  ${'speaker'.padEnd(w)}  articles  quotes  outlets  first seen  last seen\n`);
      rows.forEach((r, i) => {
        io.stdout.write(
          `${String(i + 1).padStart(3)}  ${r.name.slice(0, w).padEnd(w)}  ${String(r.articles).padStart(8)}  ${String(r.quotes).padStart(6)}  ${String(r.outlets).padStart(7)}  ${day(r.firstSeen).padEnd(10)}  ${day(r.lastSeen)}\n`,
        );
      });
      return 0;
    }, { mustExist: true });
  },
};

export default command;
