import type { Command } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, day, positiveInt, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin copies [options]

Groups of republished and lightly edited copies (MinHash over word shingles,
estimated similarity of at least 0.5). Each group starts with the earliest
appearance (by publication time, else by when it was stored); every later copy
names the earlier article it resembles most, i.e. who copied whom.

Options:
${DB_HELP}
  --min-size <n>    only groups with at least n articles (default 2)
  --limit <n>       groups to show (default 20)
  --json            print the groups as JSON
`;

const command: Command = {
  name: 'copies',
  summary: 'near-duplicate groups: earliest appearance and who copied whom',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, { ...DB_OPTION, 'min-size': { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
    const minSize = positiveInt(values['min-size'], 'min-size', 2);
    const limit = positiveInt(values.limit, 'limit', 20);
    const { copyGroups } = await import('../../corpus/copies.ts');
    return withStore(values.db, async (store) => {
      const pairs = await store.nearDuplicates();
      const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
      const articles = new Map<number, Awaited<ReturnType<typeof store.articles>>[number]>();
      for (let i = 0; i < ids.length; i += 500) {
        for (const a of await store.articles({ ids: ids.slice(i, i + 500) })) articles.set(a.id, a);
      }
      const groups = copyGroups(pairs, articles).filter((g) => g.members.length >= minSize).slice(0, limit);
      if (values.json) {
        io.stdout.write(JSON.stringify(groups, null, 2) + '\n');
        return 0;
      }
      if (!groups.length) {
        io.stdout.write('no near-duplicate copies found\n');
        return 0;
      }
      for (const [i, g] of groups.entries()) {
        const o = g.original;
        io.stdout.write(`${i + 1}. ${g.members.length} appearances of "${o.title ?? '(untitled)'}" — first ${day(o.published ?? o.storedAt)} in ${o.outlet ?? '(unknown outlet)'}\n`);
        for (const m of g.members) {
          const a = m.article;
          const how = m.copiedFrom === null ? 'earliest' : `copy of #${m.copiedFrom}${m.similarity !== null ? ` (similarity ${m.similarity.toFixed(2)})` : ''}`;
          io.stdout.write(`   #${a.id}  ${day(a.published)}  ${(a.outlet ?? '(unknown outlet)').padEnd(24)}  ${how}${a.url ? '  ' + a.url : ''}\n`);
        }
      }
      return 0;
    }, { mustExist: true });
  },
};

export default command;
