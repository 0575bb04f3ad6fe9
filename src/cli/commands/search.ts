import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, dateOption, day, positiveInt, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin search "<query>" [options]

Full-text search over the titles and texts of stored articles. Every word must
occur; "quoted words" match as a phrase; word* matches a prefix; OR and NOT work
between words. The query may be left out when filters are given.

Options:
${DB_HELP}
  --outlet <site>      only this outlet (e.g. example.com)
  --from <date>        published on or after (2024, 2024-03 or 2024-03-05)
  --to <date>          published on or before
  --technique <label>  with at least one span of this technique (e.g. Loaded_Language)
  --frame <label>      with this frame (e.g. Security_and_defense)
  --speaker <name>     quoting this person (any variant of the name)
  --narrative <label>  carrying this narrative or subnarrative, as 'unspin trends --by
                       narrative' lists them (e.g. "CC: Criticism of climate policies"),
                       or a user narrative's name or id
  --role <role>        with an entity cast in this role: Protagonist, Antagonist,
                       Innocent, or a fine role (Instigator, Victim, …)
  --entity <name>      the entity cast (with --role; alone: in any role)
  --lang <code>        in this language (ISO 639-1)
  --limit <n>          hits to show (default 20)
  --json               print the hits as JSON
`;

const command: Command = {
  name: 'search',
  summary: 'full-text search of the corpus with outlet, date, technique, frame, narrative, role, speaker filters',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...DB_OPTION,
      outlet: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      technique: { type: 'string' },
      frame: { type: 'string' },
      speaker: { type: 'string' },
      narrative: { type: 'string' },
      role: { type: 'string' },
      entity: { type: 'string' },
      lang: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const text = positionals.join(' ').trim();
    const filtered = values.outlet || values.from || values.to || values.technique || values.frame || values.speaker || values.narrative || values.role || values.entity || values.lang;
    if (!text && !filtered) throw new UsageError('give a query, a filter, or both');
    const query = {
      text,
      outlet: values.outlet,
      from: dateOption(values.from, 'from'),
      to: dateOption(values.to, 'to'),
      technique: values.technique,
      frame: values.frame,
      speaker: values.speaker,
      narrative: values.narrative,
      role: values.role,
      roleEntity: values.entity,
      language: values.lang,
      limit: positiveInt(values.limit, 'limit', 20),
    };
    return withStore(values.db, async (store) => {
      const hits = await store.search(query);
      if (values.json) {
        io.stdout.write(JSON.stringify(hits, null, 2) + '\n');
        return 0;
      }
      if (!hits.length) {
        io.stdout.write('no articles match\n');
        return 0;
      }
      for (const h of hits) {
        io.stdout.write(`#${h.id}  ${day(h.published)}  ${h.outlet ?? '(unknown outlet)'}  ${h.title ?? '(untitled)'}\n`);
        io.stdout.write(`    ${h.snippet}\n`);
        if (h.url) io.stdout.write(`    ${h.url}\n`);
      }
      io.stdout.write(`${hits.length} article${hits.length === 1 ? '' : 's'}${hits.length === query.limit ? ` (first ${query.limit}; --limit for more)` : ''}\n`);
      return 0;
    }, { mustExist: true });
  },
};

export default command;
