import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';

const usage = `Usage: unspin worker --db postgres://… [--concurrency n] [--until-empty]

Take jobs from the work queue in the PostgreSQL database ('unspin ingest
--queue' adds them): fetch, analyse and store each article. Run as many worker
processes as you like, on as many machines as reach the database. A failed job
is retried with growing delays (e^attempt seconds) until it runs out of
attempts; then it stays failed with its error ('unspin jobs'). Storing is
idempotent (canonical URL, content hash), so a retried job never stores an
article twice. Jobs held by a worker that died (kill -9, lost machine) are
freed by the other workers once its heartbeat is older than --stale seconds.
If the database goes away, the worker keeps retrying until it is back.

Options:
  --db <url>          postgres://… (default $UNSPIN_DATABASE_URL)
  --concurrency <n>   jobs at once in this process (default 1); analysis runs
                      on min(n, cores) threads
  --until-empty       exit when no job is waiting, running or due for a retry
  --stale <s>         seconds without a heartbeat before a worker counts as
                      dead (default 30)
  --quiet             no line per article

Ctrl-C (or SIGTERM) finishes the jobs in hand and exits.
`;

const command: Command = {
  name: 'worker',
  summary: 'take jobs from the PostgreSQL work queue: fetch, analyse and store',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      db: { type: 'string' },
      concurrency: { type: 'string' },
      'until-empty': { type: 'boolean' },
      stale: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const num = (v: string | undefined, name: string, fallback: number) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number of at least 1`);
      return n;
    };
    const concurrency = num(values.concurrency, 'concurrency', 1);
    const stale = num(values.stale, 'stale', 30);
    const { databaseUrl } = await import('../../store/index.ts');
    const { queueConfig, runWorker } = await import('../../queue/queue.ts');
    let cfg;
    try {
      cfg = queueConfig(databaseUrl(values.db));
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    const controller = new AbortController();
    let signals = 0;
    const onSignal = () => {
      if (++signals > 1) process.exit(130);
      io.stderr.write('unspin worker: finishing the jobs in hand (Ctrl-C again to quit now)…\n');
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const log = (line: string) => io.stderr.write(`unspin worker: ${line}\n`);
    try {
      const summary = await runWorker(cfg, {
        concurrency,
        staleSeconds: stale,
        untilEmpty: values['until-empty'] ?? false,
        signal: controller.signal,
        log,
        onDone: values.quiet ? undefined : (label, status) => log(`${status}: ${label}`),
      });
      io.stderr.write(`unspin worker: ${summary.done} jobs done, ${summary.failedAttempts} failed attempts, in ${summary.seconds.toFixed(1)} s\n`);
      return signals ? 130 : 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

export default command;
