import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin ingest <file|folder|file.jsonl|urls.txt|url|->... [options]
       unspin ingest --feed <rss-or-atom-url> [options]
       unspin ingest --queue <inputs>... --db postgres://… [--max-attempts n]

Analyse many articles and store them with every layer in the corpus database.
Folders are walked recursively (.txt .md .html .htm .jsonl); a .jsonl file holds
one article per line ({"text"|"html", "title", "url", "outlet", "published",
"language"}); a .txt file whose lines are all URLs is a list of URLs to fetch.

The same article twice is stored once (canonical URL and content hash). Each
article is written in one transaction: after Ctrl-C or a crash, run the same
command again and it finishes the rest without redoing what is stored.

Options:
${DB_HELP}
  --feed <url>       ingest every item of an RSS or Atom feed (repeatable)
  --force            analyse and store again what is already stored
  --jobs <n>         analysis worker threads (default: one per core when there
                     are 20 items or more; 1 analyses on the main thread)
  --allow-private    allow URLs that resolve to loopback/private addresses
  --timeout <s>      fetch timeout per URL in seconds (default 15)
  --lang <code>      use this ISO 639-1 code instead of detecting the language
  --queue            do not analyse here: add one job per article to the work
                     queue in the PostgreSQL database, for 'unspin worker'
                     processes on any number of machines (see 'unspin jobs')
  --max-attempts <n> with --queue: attempts before a job counts as failed (default 5)
  --json             print the summary as JSON on stdout
  --quiet            no progress bar

Exit status: 0 when every item was stored or already there, 1 when some failed
(each is listed), 130 when interrupted.
`;

const command: Command = {
  name: 'ingest',
  summary: 'analyse and store many articles (files, folders, JSONL, URL lists, feeds)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...DB_OPTION,
      feed: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      jobs: { type: 'string' },
      'allow-private': { type: 'boolean' },
      timeout: { type: 'string' },
      lang: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      queue: { type: 'boolean' },
      'max-attempts': { type: 'string' },
    });
    const feeds = values.feed ?? [];
    if (!positionals.length && !feeds.length) throw new UsageError('nothing to ingest: give files, folders, URLs, - for stdin, or --feed <url>');
    let timeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      const t = Number(values.timeout);
      if (!Number.isFinite(t) || t <= 0) throw new UsageError('--timeout needs a positive number of seconds');
      timeoutMs = t * 1000;
    }
    let jobs: number | undefined;
    if (values.jobs !== undefined) {
      jobs = Number(values.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs needs a whole number of at least 1');
    }
    if (values.queue) {
      if (feeds.length) throw new UsageError('--feed cannot be queued yet: ingest feeds directly, or queue their links as a URL list');
      const { queueConfig, enqueue } = await import('../../queue/queue.ts');
      const { databaseUrl } = await import('../../store/index.ts');
      const { UserError } = await import('../command.ts');
      let maxAttempts = 5;
      if (values['max-attempts'] !== undefined) {
        maxAttempts = Number(values['max-attempts']);
        if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new UsageError('--max-attempts needs a whole number from 1 to 100');
      }
      let cfg;
      try {
        cfg = queueConfig(databaseUrl(values.db));
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const res = await enqueue(cfg, positionals, {
        maxAttempts,
        ...(values.lang ? { lang: values.lang } : {}),
        ...(values['allow-private'] ? { allowPrivate: true } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      }).catch((err) => {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '28P01' || e.code === '3D000') throw new UserError(`cannot reach the queue database: ${e.message || e.code}`);
        throw err;
      });
      for (const f of res.failed) io.stderr.write(`unspin ingest: ${f.label}: ${f.message}\n`);
      if (values.json) io.stdout.write(JSON.stringify(res, null, 2) + '\n');
      else io.stderr.write(`${res.queued} jobs queued, ${res.failed.length} inputs refused; run 'unspin worker' to process them, 'unspin jobs' to follow\n`);
      return res.failed.length ? 1 : 0;
    }
    const ingestOpts = { allowPrivate: values['allow-private'] ?? false, timeoutMs, stdin: io.stdin };
    const { inputItems, feedItems } = await import('../../ingest-runner/sources.ts');
    const { runIngest, formatSummary } = await import('../../ingest-runner/run.ts');
    const { Progress } = await import('../../ingest-runner/progress.ts');
    const { analyze } = await import('../../pipeline.ts');
    const lang = values.lang;

    return withStore(values.db, async (store) => {
      const controller = new AbortController();
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        controller.abort();
        progress.log('stopping after the current article (Ctrl-C again to quit now)…');
      };
      // Count items first when they are local, so the bar can show an ETA.
      const items: Awaited<ReturnType<typeof feedItems>> = [];
      const feedErrors: { label: string; code: string; message: string }[] = [];
      for (const url of feeds) {
        const { fetchConditional } = await import('../../ingest-runner/http.ts');
        const { parseFeed } = await import('../../article/feed.ts');
        try {
          const res = await fetchConditional(url, null, { allowPrivate: ingestOpts.allowPrivate, timeoutMs });
          if (!res.notModified) items.push(...feedItems(parseFeed(res.body, { baseUrl: res.url }), res.url, ingestOpts));
        } catch (err) {
          feedErrors.push({ label: url, code: 'feed', message: (err as Error).message });
        }
      }
      for await (const it of inputItems(positionals, ingestOpts)) items.push(it);
      const progress = new Progress(io.stderr, items.length, { enabled: !values.quiet });
      for (const f of feedErrors) progress.log(`unspin ingest: ${f.label}: ${f.message}`);
      const { availableParallelism } = await import('node:os');
      const workers = jobs ?? (items.length >= 20 ? Math.min(availableParallelism(), 8) : 1);
      let pool: import('../../ingest-runner/pool.ts').AnalyzePool | null = null;
      if (workers > 1) {
        const { AnalyzePool } = await import('../../ingest-runner/pool.ts');
        pool = await AnalyzePool.start(workers);
      }
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const summary = await runIngest(items, {
          store,
          analyze: (a) => analyze(lang ? { ...a, language: lang } : a),
          // With worker threads, the workers also turn each analysis into the store's rows.
          ...(pool ? { prepare: (a: Parameters<typeof pool.prepare>[0], meta: Parameters<typeof pool.prepare>[1]) => pool!.prepare(lang ? { ...a, language: lang } : a, meta) } : {}),
          concurrency: pool ? workers * 2 + 2 : 4,
          progress,
          signal: controller.signal,
          onError: (f) => progress.log(`unspin ingest: ${f.label}: ${f.message}`),
          force: values.force ?? false,
        });
        summary.failed.unshift(...feedErrors);
        if (values.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else io.stderr.write(formatSummary(summary));
        return summary.interrupted ? 130 : summary.failed.length ? 1 : 0;
      } finally {
        await pool?.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  },
};

export default command;
