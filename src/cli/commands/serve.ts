import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';

const usage = `Usage: unspin serve [options]

Serve the web workbench and the JSON API (described at /api/openapi.json)
from one process. Binds 127.0.0.1 unless told otherwise.

Options:
  --db <path>        the database (default: $UNSPIN_DATABASE_URL or ./unspin.db)
  --host <addr>      address to listen on (default 127.0.0.1); anything but
                     loopback needs UNSPIN_TOKEN set, and POST requests must
                     then send Authorization: Bearer <token>
  --port <n>         port (default 8787; 0 picks a free one)
  --allow-private    let URL analysis fetch loopback/private addresses
  --max-mb <n>       largest request body in MB (default 5)
  --web <dir>        the built UI folder (default dist/web; npm run build:web)
  --workers <n>      worker threads that run analyses (default: one per core,
                     at most 4; 1 keeps reads faster while analyses run, at
                     about half the analyses per second on 2 cores; 0 analyses
                     on the server's own thread)
  --analysis-timeout <s>  stop an analysis that runs longer (default 60; the
                     request gets a 504 'timeout' error, the worker is replaced)

Environment:
  UNSPIN_TOKEN       bearer token for write endpoints (at least 16 characters)
`;

const command: Command = {
  name: 'serve',
  summary: 'web workbench and JSON API over the corpus',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'allow-private': { type: 'boolean' },
      'max-mb': { type: 'string' },
      web: { type: 'string' },
      workers: { type: 'string' },
      'analysis-timeout': { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const port = values.port === undefined ? 8787 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port needs a number from 0 to 65535');
    const maxMb = values['max-mb'] === undefined ? 5 : Number(values['max-mb']);
    if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-mb needs a positive number');
    const workers = values.workers === undefined ? Math.max(1, Math.min((await import('node:os')).availableParallelism(), 4)) : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UsageError('--workers needs a whole number from 0 to 64');
    const analysisTimeout = values['analysis-timeout'] === undefined ? 60 : Number(values['analysis-timeout']);
    if (!Number.isFinite(analysisTimeout) || analysisTimeout < 0) throw new UsageError('--analysis-timeout needs a number of seconds (0 = no limit)');
    const { openStore, databaseUrl } = await import('../../store/index.ts');
    const { startServer, ServeError } = await import('../../server/index.ts');
    const token = process.env.UNSPIN_TOKEN?.trim() || null;
    const store = await openStore(databaseUrl(values.db));
    let running;
    try {
      running = await startServer({
        store,
        host: values.host,
        port,
        token,
        allowPrivate: values['allow-private'] ?? false,
        maxBodyBytes: Math.round(maxMb * 1024 * 1024),
        analysisTimeoutMs: Math.round(analysisTimeout * 1000),
        webRoot: values.web,
        workers,
      });
    } catch (err) {
      await store.close();
      if (err instanceof ServeError) throw new UserError(err.message);
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new UserError(`port ${port} is in use; pick another with --port`);
      if (e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') throw new UserError(`cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${e.message}`);
      throw err;
    }
    io.stderr.write(`unspin serve: ${running.url}/ (API: ${running.url}/api/openapi.json; ${running.workers || 'no'} analysis worker${running.workers === 1 ? '' : 's'})${running.web ? '' : ' — web UI not built: run npm run build:web'}\n`);
    if (token) io.stderr.write('unspin serve: write endpoints need Authorization: Bearer $UNSPIN_TOKEN\n');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void running.close().finally(() => store.close().finally(resolve));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

export default command;
