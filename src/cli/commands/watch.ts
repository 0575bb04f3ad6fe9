import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parse } from '../args.ts';
import { DB_HELP, DB_OPTION, withStore } from '../../store/cli.ts';

const usage = `Usage: unspin watch --feed <url> [--feed <url>...] [--interval <s>] [options]

Polls RSS or Atom feeds and stores every new article. Each poll is a
conditional GET (If-None-Match / If-Modified-Since from the last answer, kept in
the database), so an unchanged feed costs one short request. Articles already
stored are not fetched again. Stops cleanly on Ctrl-C.

Options:
${DB_HELP}
  --feed <url>       a feed to poll (repeatable, required)
  --interval <s>     seconds between polls (default 300)
  --once             poll once and exit
  --allow-private    allow feeds and links on loopback/private addresses
  --timeout <s>      fetch timeout in seconds (default 15)
`;

const command: Command = {
  name: 'watch',
  summary: 'poll RSS/Atom feeds on an interval and store new articles',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...DB_OPTION,
      feed: { type: 'string', multiple: true },
      interval: { type: 'string' },
      once: { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      timeout: { type: 'string' },
    });
    const feeds = values.feed ?? [];
    if (!feeds.length) throw new UsageError('give at least one --feed <url>');
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const interval = values.interval === undefined ? 300 : Number(values.interval);
    if (!Number.isFinite(interval) || interval <= 0) throw new UsageError('--interval needs a positive number of seconds');
    const timeoutMs = values.timeout === undefined ? 15000 : Number(values.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout needs a positive number of seconds');
    const allowPrivate = values['allow-private'] ?? false;
    const { fetchConditional } = await import('../../ingest-runner/http.ts');
    const { parseFeed } = await import('../../article/feed.ts');
    const { feedItems } = await import('../../ingest-runner/sources.ts');
    const { runIngest } = await import('../../ingest-runner/run.ts');
    const { analyze } = await import('../../pipeline.ts');

    return withStore(values.db, async (store) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const log = (msg: string) => io.stderr.write(`${new Date().toISOString().slice(0, 19)}Z ${msg}\n`);
      let total = 0;
      try {
        while (!controller.signal.aborted) {
          for (const url of feeds) {
            if (controller.signal.aborted) break;
            try {
              const state = await store.feedState(url);
              const res = await fetchConditional(url, state, { allowPrivate, timeoutMs, signal: controller.signal });
              if (res.notModified) {
                log(`${url}: not modified`);
                continue;
              }
              const feed = parseFeed(res.body, { baseUrl: res.url });
              const summary = await runIngest(feedItems(feed, res.url, { allowPrivate, timeoutMs }), {
                store,
                analyze,
                signal: controller.signal,
                onError: (f) => log(`${url}: ${f.label}: ${f.message}`),
              });
              total += summary.inserted + summary.updated;
              // Remember the validators only once the items are stored, so an interrupted round is redone.
              if (!summary.interrupted) await store.setFeedState(url, { etag: res.etag, lastModified: res.lastModified });
              log(`${url}: ${feed.items.length} items, ${summary.inserted} new, ${summary.updated} updated, ${summary.skipped} already stored, ${summary.failed.length} failed`);
            } catch (err) {
              if (controller.signal.aborted) break;
              log(`${url}: ${(err as Error).message}`);
            }
          }
          if (values.once || controller.signal.aborted) break;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, interval * 1000);
            controller.signal.addEventListener('abort', () => {
              clearTimeout(t);
              resolve();
            }, { once: true });
          });
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      if (controller.signal.aborted) log(`stopped; ${total} articles stored this session`);
      return 0;
    });
  },
};

export default command;
