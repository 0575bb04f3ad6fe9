import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, day, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin speaker "<name>" [options]

The dossier of one person: every quote with its article, outlet and date; the
descriptors each outlet gave the person ("political analyst" here, "expert"
there); first and last seen; who else is quoted in the same articles; the
narratives of the articles quoting the person, and how many of the person's
quotes lie in a sentence cited for each (the quote voices it); and the roles
articles cast the person in. Any variant of the name finds the person.

Options:
${DB_HELP}
  --json            print the dossier as JSON
`;

const command: Command = {
  name: 'speaker',
  summary: "one person's dossier: quotes, outlets, descriptors, co-quoted people, narratives, roles",
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...DB_OPTION, json: { type: 'boolean' } });
    const name = positionals.join(' ').trim();
    if (!name) throw new UsageError('give the name of a person');
    return withStore(values.db, async (store) => {
      const d = await store.speaker(name);
      if (!d) throw new UserError(`nobody called "${name}" is quoted or named in the corpus (try 'unspin speakers')`);
      if (values.json) {
        io.stdout.write(JSON.stringify(d, null, 2) + '\n');
        return 0;
      }
      const out: string[] = [];
      out.push(d.name + (d.variants.length ? `  (also written: ${d.variants.join(', ')})` : ''));
      out.push(`${d.quotes} quote${d.quotes === 1 ? '' : 's'} in ${d.articles} article${d.articles === 1 ? '' : 's'} from ${d.outlets} outlet${d.outlets === 1 ? '' : 's'}; first seen ${day(d.firstSeen)}, last seen ${day(d.lastSeen)}`);
      if (d.descriptorsByOutlet.length) {
        out.push('', 'Described as:');
        for (const o of d.descriptorsByOutlet) out.push(`  ${o.outlet}: ${o.descriptors.map((x) => (x.count > 1 ? `${x.text} (${x.count})` : x.text)).join('; ')}`);
      }
      if (d.quotesList.length) {
        out.push('', 'Quotes:');
        for (const q of d.quotesList) {
          out.push(`  ${day(q.published)}  ${q.outlet ?? '(unknown outlet)'}  #${q.articleId} ${q.title ?? ''}`.trimEnd());
          // A belief or a finding attributed to the person is not something they said: tag it.
          const act = q.act && q.act !== 'speech' ? `  [${q.act}]` : '';
          out.push(`    ${q.text.replace(/\s+/g, ' ')}${q.nameAsWritten && q.nameAsWritten !== d.name ? `  [as "${q.nameAsWritten}"]` : ''}${act}`);
        }
      }
      if (d.narratives.length) {
        out.push('', 'Narratives (articles quoting them; quotes voicing it):');
        for (const n of d.narratives) out.push(`  ${n.narrative}: ${n.articles} article${n.articles === 1 ? '' : 's'}; ${n.quotes} quote${n.quotes === 1 ? '' : 's'}`);
      }
      if (d.roles.length) {
        out.push('', 'Cast as:');
        for (const r of d.roles) out.push(`  ${r.main}${r.fine ? ` (${r.fine})` : ''}: ${r.articles} article${r.articles === 1 ? '' : 's'}, ${r.outlets} outlet${r.outlets === 1 ? '' : 's'}`);
      }
      if (d.coQuoted.length) {
        out.push('', 'Quoted beside:');
        for (const c of d.coQuoted) out.push(`  ${c.name} (${c.articles} article${c.articles === 1 ? '' : 's'})`);
      }
      io.stdout.write(out.join('\n') + '\n');
      return 0;
    }, { mustExist: true });
  },
};

export default command;
