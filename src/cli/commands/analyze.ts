import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { renderReport } from '../report.ts';

const usage = `Usage: unspin analyze <file|url|-> [options]

Analyse one article: a text or HTML file, an http(s) URL, or - for stdin.

Options:
  --json             print the Analysis JSON instead of the report
  --allow-private    allow URLs that resolve to loopback/private addresses
  --timeout <s>      URL fetch timeout in seconds (default 15)
  --max-mb <n>       refuse input larger than n MB (default 20)
  --lang <code>      skip language detection and use this ISO 639-1 code
  --narratives <file>  also match the narratives defined in this file
                     (format unspin/narratives@1; see examples/narratives/);
                     may be given more than once
  --color / --no-color   force colour on or off (default: on a terminal only)
`;

const command: Command = {
  name: 'analyze',
  summary: 'analyse one article (file, URL or - for stdin)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      timeout: { type: 'string' },
      'max-mb': { type: 'string' },
      lang: { type: 'string' },
      narratives: { type: 'string', multiple: true },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give exactly one file, URL or -' : 'missing input: give a file, a URL, or - for stdin');
    const num = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number`);
      return n;
    };
    const timeout = num(values.timeout, 'timeout');
    const maxMb = num(values['max-mb'], 'max-mb');
    const { ingest, isIngestError } = await import('../../article/index.ts');
    let article;
    try {
      article = await ingest(positionals[0]!, {
        allowPrivate: values['allow-private'] ?? false,
        timeoutMs: timeout ? timeout * 1000 : undefined,
        maxBytes: maxMb ? Math.round(maxMb * 1024 * 1024) : undefined,
        stdin: io.stdin,
      });
    } catch (err) {
      if (isIngestError(err)) throw new UserError(err.message);
      throw err;
    }
    if (values.lang) article = { ...article, language: values.lang };
    const { analyze } = await import('../../pipeline.ts');
    let stages;
    if (values.narratives?.length) {
      // Read the files before any analysis, so a bad file is a clean error.
      const { readUserNarratives } = await import('../../stages/narratives/user.ts');
      const { createNarrativesStage } = await import('../../stages/narratives/index.ts');
      const { STAGES } = await import('../../stages/index.ts');
      let files;
      try {
        files = values.narratives.map((f) => readUserNarratives(f));
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const custom = createNarrativesStage({ userNarratives: files });
      stages = STAGES.map((s) => (s.name === 'narratives' ? custom : s));
    }
    const analysis = analyze(article, { stages });
    if (values.json) {
      io.stdout.write(JSON.stringify(analysis, null, 2) + '\n');
    } else {
      const color = values['no-color'] ? false : values.color ?? (Boolean(io.stdout.isTTY) && !process.env.NO_COLOR);
      io.stdout.write(renderReport(analysis, { color, width: (io.stdout as { columns?: number }).columns }));
    }
    return 0;
  },
};

export default command;
