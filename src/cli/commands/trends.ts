import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, csvLine, dateOption, withStore } from '../../store/cli.ts';
import type { TrendDimension, TrendPeriod } from '../../store/types.ts';

const usage = `Usage: unspin trends --by outlet|technique|frame|speaker|narrative|role [--period day|week|month] [options]

Articles per period for each outlet, technique, frame, quoted person,
narrative (the narratives layer; subnarratives are not listed) or entity role
("<entity>: <main role>", e.g. how often an entity is cast as Antagonist).
An article counts once per key and period. Weeks are ISO weeks (2024-W10).
Articles without a publication date are left out.

Options:
${DB_HELP}
  --by <what>        outlet, technique, frame, speaker, narrative or role (required)
  --period <p>       day, week or month (default week)
  --from <date>      from this date (2024, 2024-03 or 2024-03-05)
  --to <date>        up to this date
  --csv              print CSV (period,key,articles)
  --json             print JSON
`;

const BY = ['outlet', 'technique', 'frame', 'speaker', 'narrative', 'role'];
const PERIOD = ['day', 'week', 'month'];

const command: Command = {
  name: 'trends',
  summary: 'articles per day/week/month by outlet, technique, frame, speaker, narrative or role',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DB_OPTION,
      by: { type: 'string' },
      period: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (!values.by || !BY.includes(values.by)) throw new UsageError(`--by needs one of ${BY.join(', ')}`);
    const period = values.period ?? 'week';
    if (!PERIOD.includes(period)) throw new UsageError(`--period needs one of ${PERIOD.join(', ')}`);
    const from = dateOption(values.from, 'from');
    const to = dateOption(values.to, 'to');
    return withStore(values.db, async (store) => {
      const rows = await store.trends(values.by as TrendDimension, period as TrendPeriod, { from, to });
      if (values.json) {
        io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (values.csv) {
        io.stdout.write(csvLine(['period', values.by, 'articles']));
        for (const r of rows) io.stdout.write(csvLine([r.period, r.key, r.count]));
      } else if (!rows.length) {
        io.stdout.write('no dated articles in that range\n');
      } else {
        const w = Math.min(values.by === 'narrative' ? 70 : 40, Math.max(values.by!.length, ...rows.map((r) => r.key.length)));
        io.stdout.write(`${period.padEnd(10)}  ${values.by!.padEnd(w)}  articles\n`);
        let last = '';
        for (const r of rows) {
          io.stdout.write(`${(r.period === last ? '' : r.period).padEnd(10)}  ${r.key.slice(0, w).padEnd(w)}  ${String(r.count).padStart(8)}\n`);
          last = r.period;
        }
      }
      return 0;
    }, { mustExist: true });
  },
};

export default command;
