import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Store } from '../store/types.ts';
import { createApp, type AppOptions } from './app.ts';
import { loadWebAssets, type WebAssets } from './static.ts';
import { AnalysisPool } from './pool.ts';

export { createApp } from './app.ts';

export interface ServeOptions extends Omit<AppOptions, 'store' | 'web' | 'allowedHosts' | 'requireToken'> {
  store: Store;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built UI folder (default dist/web); the API still runs when it is missing. */
  webRoot?: string;
  web?: WebAssets | null;
  /** Worker threads that run the pipeline; 0 (the default here) analyses on the server's own thread. */
  workers?: number;
  /** Longest time one analysis may run in a worker before it is stopped (default 60 s; 0 = no limit). */
  analysisTimeoutMs?: number;
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  web: WebAssets | null;
  /** Analysis worker threads running. */
  workers: number;
  close(): Promise<void>;
}

/** 127.0.0.0/8, ::1 and localhost: the only binds that need no token. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export class ServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeError';
  }
}

/**
 * Starts the API and the web UI in one HTTP server. Binds 127.0.0.1 unless
 * told otherwise; refuses a non-loopback bind without a token, because anyone
 * who can reach the port could then make the server fetch URLs and fill the
 * database.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const token = options.token ?? null;
  if (!loopback && !token) {
    throw new ServeError(`refusing to listen on ${host} without a token: set UNSPIN_TOKEN (write requests will need Authorization: Bearer <token>)`);
  }
  if (token !== null && token.length < 16) throw new ServeError('UNSPIN_TOKEN must be at least 16 characters');
  const web = options.web !== undefined ? options.web : loadWebAssets(options.webRoot);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Behind loopback, only answer for loopback names (a DNS-rebinding page cannot talk to us).
  const allowedHosts = loopback ? ['127.0.0.1', 'localhost', '[::1]', host].flatMap((h) => [h, `${h}:${port}`]) : null;
  const pool = options.workers && options.workers > 0 && !options.analyze ? new AnalysisPool(options.workers, options.analysisTimeoutMs ?? 60_000) : null;
  const app = createApp({ ...options, web, allowedHosts, requireToken: !loopback, analyze: options.analyze ?? (pool ? (a) => pool.analyze(a) : undefined) });
  server.on('request', getRequestListener(app.fetch));
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${port}`,
    host,
    port,
    web,
    workers: pool?.size ?? 0,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await pool?.close();
    },
  };
}
