import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';

const usage = `Usage: unspin jobs --db postgres://… [--json] [--limit n] [--retry-failed]

The work queue at a glance: jobs waiting, running, due for a retry, failed
(out of attempts), and finished jobs by outcome; then the failed jobs with
their last error, newest first.

Options:
  --db <url>        postgres://… (default $UNSPIN_DATABASE_URL)
  --limit <n>       failed jobs listed (default 50)
  --retry-failed    give every failed job fresh attempts
  --json            print the numbers and failures as JSON
`;

const command: Command = {
  name: 'jobs',
  summary: 'the PostgreSQL work queue: counts by state, failed jobs with their errors',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      db: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      'retry-failed': { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError('--limit needs a whole number');
    const { databaseUrl } = await import('../../store/index.ts');
    const { queueConfig, jobStats, retryFailed } = await import('../../queue/queue.ts');
    let cfg;
    try {
      cfg = queueConfig(databaseUrl(values.db));
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    try {
      if (values['retry-failed']) io.stderr.write(`${await retryFailed(cfg)} failed jobs scheduled again\n`);
      const st = await jobStats(cfg, { limit });
      if (values.json) {
        io.stdout.write(JSON.stringify(st, null, 2) + '\n');
        return 0;
      }
      const done = Object.entries(st.done);
      const lines = [
        `queued ${st.queued}  running ${st.running}  retrying ${st.retrying}  failed ${st.failed}`,
        `done ${done.reduce((n, [, c]) => n + c, 0)}${done.length ? ` (${done.map(([k, c]) => `${k} ${c}`).join(', ')})` : ''}`,
      ];
      if (st.failures.length) {
        lines.push('failed jobs:');
        for (const f of st.failures) lines.push(`  ${f.label} (${f.attempts} attempts, last ${f.updatedAt}): ${(f.error ?? '').split('\n')[0]}`);
        if (st.failed > st.failures.length) lines.push(`  … and ${st.failed - st.failures.length} more`);
      }
      io.stdout.write(lines.join('\n') + '\n');
      return 0;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '28P01' || e.code === '3D000') throw new UserError(`cannot reach the queue database: ${e.message || e.code}`);
      throw err;
    }
  },
};

export default command;
