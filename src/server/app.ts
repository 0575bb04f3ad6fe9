import { timingSafeEqual, createHash } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';
import type { Store, SearchQuery, TrendDimension, TrendPeriod } from '../store/types.ts';
import { canonicalUrl, contentHash } from '../corpus/meta.ts';
import { copyGroups } from '../corpus/copies.ts';
import { ApiError, errorBody, fromIngestCode } from './errors.ts';
import { openapi } from './openapi.ts';
import { securityHeaders } from './security.ts';
import { exportStream, EXPORT_FORMATS, type ExportFormat } from './export.ts';
import type { WebAssets } from './static.ts';

export interface AppOptions {
  store: Store;
  /** Allow URL analysis of loopback/private addresses (off by default). */
  allowPrivate?: boolean;
  /** When set, write endpoints need `Authorization: Bearer <token>`. */
  token?: string | null;
  /** Refuse write requests without a token even if none is configured (non-loopback without a token never starts). */
  requireToken?: boolean;
  /** Host header values accepted (DNS-rebinding guard); null accepts any. */
  allowedHosts?: string[] | null;
  /** Largest request body, in bytes (default 5 MiB). */
  maxBodyBytes?: number;
  /** URL fetch limits. */
  fetchTimeoutMs?: number;
  fetchMaxBytes?: number;
  /** The built web UI; null serves the API only. */
  web?: WebAssets | null;
  /** Runs the pipeline (a worker pool in `unspin serve`); in-process `analyze()` when absent. */
  analyze?: (article: Article) => Analysis | Promise<Analysis>;
}

type Env = { Variables: Record<string, never> };

const PERIODS: TrendPeriod[] = ['day', 'week', 'month'];
const DIMENSIONS: TrendDimension[] = ['outlet', 'technique', 'frame', 'speaker', 'narrative', 'role'];

function intParam(c: Context, name: string, def: number, max: number): number {
  const v = c.req.query(name);
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ApiError(400, 'bad-request', `${name} must be a non-negative integer`);
  return Math.min(n, max);
}

function strParam(c: Context, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t.length > 500) throw new ApiError(400, 'bad-request', `${name} is too long`);
  return t === '' ? undefined : t;
}

function dateParam(c: Context, name: string): string | undefined {
  const v = strParam(c, name);
  if (v !== undefined && !/^\d{4}-\d{2}(-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?$/.test(v)) {
    throw new ApiError(400, 'bad-request', `${name} must be an ISO date such as 2024-03-05`);
  }
  return v;
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

interface AnalyseBody {
  text?: unknown;
  html?: unknown;
  url?: unknown;
  title?: unknown;
  outlet?: unknown;
  published?: unknown;
  language?: unknown;
  save?: unknown;
}

const optStr = (v: unknown, name: string): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ApiError(400, 'bad-request', `${name} must be a string`);
  return v.trim() || null;
};

export function createApp(options: AppOptions): Hono<Env> {
  const { store } = options;
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const app = new Hono<Env>();
  let pipeline: ((article: Article) => Analysis | Promise<Analysis>) | null = options.analyze ?? null;
  const getPipeline = async () => {
    if (!pipeline) pipeline = (await import('../pipeline.ts')).analyze;
    return pipeline;
  };

  app.use('*', securityHeaders());

  if (options.allowedHosts) {
    const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
    app.use('*', async (c, next) => {
      const host = (c.req.header('host') ?? '').toLowerCase();
      if (!allowed.has(host)) throw new ApiError(421, 'bad-host', `this server does not answer for host ${JSON.stringify(host)}`);
      await next();
    });
  }

  // Writes: same-origin only (a page on another site cannot post here), and a token when one is set or required.
  const writeGuard: MiddlewareHandler<Env> = async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && origin !== 'null') {
      let originHost = '';
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        /* unparsable origin: refused below */
      }
      if (originHost !== (c.req.header('host') ?? '').toLowerCase()) {
        throw new ApiError(403, 'forbidden-origin', 'cross-origin writes are refused');
      }
    } else if (origin === 'null') {
      throw new ApiError(403, 'forbidden-origin', 'cross-origin writes are refused');
    }
    const token = options.token ?? null;
    if (token || options.requireToken) {
      const auth = c.req.header('authorization') ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!token || !m || !sameToken(m[1], token)) {
        c.header('WWW-Authenticate', 'Bearer');
        throw new ApiError(401, 'unauthorized', 'this endpoint needs Authorization: Bearer <UNSPIN_TOKEN>');
      }
    }
    await next();
  };

  const limit = bodyLimit({
    maxSize: maxBody,
    onError: () => {
      throw new ApiError(413, 'too-large', `request body over ${maxBody} bytes`);
    },
  });

  app.get('/api/openapi.json', (c) => c.json(openapi));
  app.get('/api/health', async (c) => c.json({ ok: true, articles: await store.count(), dialect: store.dialect }));

  const analyse = async (c: Context<Env>) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    let body: AnalyseBody;
    if (type === 'application/json') {
      try {
        body = (await c.req.json()) as AnalyseBody;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError(400, 'bad-json', 'the request body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'bad-json', 'the request body must be a JSON object');
    } else if (type === 'text/plain') {
      body = { text: await c.req.text() };
    } else if (type === 'text/html') {
      body = { html: await c.req.text() };
    } else {
      throw new ApiError(415, 'unsupported-media-type', 'send application/json ({"text"|"html"|"url": …}), text/plain or text/html');
    }
    const given = (['text', 'html', 'url'] as const).filter((k) => body[k] !== undefined && body[k] !== null && body[k] !== '');
    if (given.length !== 1) throw new ApiError(400, 'missing-input', 'give exactly one of text, html or url');
    const kind = given[0];
    const value = body[kind];
    if (typeof value !== 'string') throw new ApiError(400, 'bad-request', `${kind} must be a string`);
    if (!value.trim()) throw new ApiError(422, 'missing-input', `${kind} is empty`);
    const meta = {
      title: optStr(body.title, 'title'),
      outlet: optStr(body.outlet, 'outlet'),
      published: optStr(body.published, 'published'),
      language: optStr(body.language, 'language'),
    };
    const save = body.save === true || c.req.query('save') === '1' || c.req.query('save') === 'true';
    const ingestMod = await import('../article/index.ts');
    let article: Article;
    try {
      if (kind === 'url') {
        // Only http(s): ingest would also read a local file path, which an API client must never reach.
        if (!/^https?:\/\//i.test(value.trim())) throw new ApiError(400, 'bad-request', 'url must be an http(s) URL');
        article = await ingestMod.ingest(value.trim(), {
          allowPrivate: options.allowPrivate ?? false,
          timeoutMs: options.fetchTimeoutMs ?? 15_000,
          maxBytes: options.fetchMaxBytes ?? 20 * 1024 * 1024,
        });
      } else if (kind === 'html') {
        article = ingestMod.fromHtml(value, { url: null });
      } else {
        article = ingestMod.fromText(value, {});
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (ingestMod.isIngestError(err)) throw fromIngestCode(err.code, err.message);
      throw err;
    }
    for (const [k, v] of Object.entries(meta)) if (v !== null) (article as unknown as Record<string, unknown>)[k] = v;
    if (!article.raw.trim()) throw new ApiError(422, 'missing-input', 'no article text found in the input');
    let analysis: Analysis;
    try {
      analysis = await (await getPipeline())(article);
    } catch (err) {
      if ((err as { code?: string }).code === 'timeout') throw new ApiError(504, 'timeout', (err as Error).message);
      throw err;
    }
    let id: number | null = null;
    let status: string | null = null;
    if (save) {
      const put = await store.put(analysis, {
        canonicalUrl: canonicalUrl(analysis.document.url),
        contentHash: contentHash(analysis.document.text),
        source: `api-${kind}`,
        url: analysis.document.url,
      });
      id = put.id;
      status = put.status;
    }
    return c.json({ id, status, analysis }, save && status === 'inserted' ? 201 : 200);
  };
  app.post('/api/analyze', limit, writeGuard, analyse);
  app.post('/api/analyse', limit, writeGuard, analyse);

  app.get('/api/articles', async (c) => {
    const afterId = intParam(c, 'afterId', 0, Number.MAX_SAFE_INTEGER);
    const lim = intParam(c, 'limit', 50, 500);
    return c.json({ articles: await store.articles({ afterId, limit: lim }), total: await store.count() });
  });

  app.get('/api/articles/:id', async (c) => {
    const raw = c.req.param('id');
    if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, 'bad-request', 'article id must be a positive integer');
    const id = Number(raw);
    const [article, analysis] = await Promise.all([store.article(id), store.get(id)]);
    if (!article || !analysis) throw new ApiError(404, 'not-found', `no article ${id}`);
    return c.json({ article, analysis });
  });

  app.get('/api/search', async (c) => {
    const q: SearchQuery = {
      text: strParam(c, 'q'),
      outlet: strParam(c, 'outlet'),
      from: dateParam(c, 'from'),
      to: dateParam(c, 'to'),
      technique: strParam(c, 'technique'),
      frame: strParam(c, 'frame'),
      speaker: strParam(c, 'speaker'),
      narrative: strParam(c, 'narrative'),
      role: strParam(c, 'role'),
      roleEntity: strParam(c, 'entity'),
      language: strParam(c, 'language'),
      limit: intParam(c, 'limit', 50, 500),
      offset: intParam(c, 'offset', 0, 1_000_000),
    };
    return c.json({ query: q, hits: await store.search(q) });
  });

  app.get('/api/speakers', async (c) => {
    const speakers = await store.speakers({ limit: intParam(c, 'limit', 100, 1000), outlet: strParam(c, 'outlet') });
    return c.json({ speakers });
  });

  app.get('/api/speakers/:name', async (c) => {
    const name = c.req.param('name').trim();
    if (!name) throw new ApiError(400, 'bad-request', 'speaker name is empty');
    const dossier = await store.speaker(name);
    if (!dossier) throw new ApiError(404, 'not-found', `no speaker called ${JSON.stringify(name)}`);
    return c.json({ dossier });
  });

  app.get('/api/outlets', async (c) => c.json({ outlets: await store.outlets() }));

  app.get('/api/outlets/:name', async (c) => {
    const profile = await store.outlet(c.req.param('name'));
    if (!profile) throw new ApiError(404, 'not-found', `no outlet called ${JSON.stringify(c.req.param('name'))}`);
    return c.json({ outlet: profile });
  });

  app.get('/api/trends', async (c) => {
    const by = (c.req.query('by') ?? 'technique') as TrendDimension;
    const period = (c.req.query('period') ?? 'month') as TrendPeriod;
    if (!DIMENSIONS.includes(by)) throw new ApiError(400, 'bad-request', `by must be one of ${DIMENSIONS.join(', ')}`);
    if (!PERIODS.includes(period)) throw new ApiError(400, 'bad-request', `period must be one of ${PERIODS.join(', ')}`);
    const top = intParam(c, 'limit', 10, 100);
    const all = await store.trends(by, period, { from: dateParam(c, 'from'), to: dateParam(c, 'to'), limit: 1_000_000 });
    // The top keys by total count, every period of each.
    const totals = new Map<string, number>();
    for (const r of all) totals.set(r.key, (totals.get(r.key) ?? 0) + r.count);
    const keep = new Set([...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([k]) => k));
    const rows = all.filter((r) => keep.has(r.key));
    return c.json({ by, period, rows, keys: totals.size });
  });

  app.get('/api/copies', async (c) => {
    const lim = intParam(c, 'limit', 100, 1000);
    const pairs = await store.nearDuplicates();
    const ids = new Set<number>();
    for (const p of pairs) ids.add(p.a).add(p.b);
    const articles = new Map();
    for (const id of ids) {
      const a = await store.article(id);
      if (a) articles.set(id, a);
    }
    const groups = copyGroups(pairs, articles);
    return c.json({ groups: groups.slice(0, lim), total: groups.length });
  });

  app.get('/api/export', async (c) => {
    // 'quotes.csv' is accepted for 'quotes-csv' and so on.
    const format = (c.req.query('format') ?? 'jsonl').replace(/\.csv$/, '-csv') as ExportFormat;
    if (!EXPORT_FORMATS[format]) throw new ApiError(400, 'bad-request', `format must be one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
    const { type, filename } = EXPORT_FORMATS[format];
    return new Response(exportStream(store, format), {
      headers: {
        'content-type': type,
        'content-disposition': `attachment; filename="${filename}"`,
      },
    });
  });

  app.all('/api/*', (c) => {
    throw new ApiError(c.req.method === 'GET' ? 404 : 405, c.req.method === 'GET' ? 'not-found' : 'method-not-allowed', `no ${c.req.method} ${c.req.path}`);
  });

  if (options.web) {
    const web = options.web;
    app.get('*', (c) => web.respond(c.req.path === '/' ? '/index.html' : c.req.path, c.req.header('accept-encoding') ?? '', c.req.header('if-none-match')));
  }

  app.notFound((c) => c.json(errorBody('not-found', `no ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
    const status = (err as { status?: number }).status;
    if (status === 413) return c.json(errorBody('too-large', `request body over ${maxBody} bytes`), 413);
    console.error(`unspin serve: ${c.req.method} ${c.req.path}: ${(err as Error).stack ?? err}`);
    return c.json(errorBody('internal', 'internal error (see the server log)'), 500);
  });
  return app;
}
