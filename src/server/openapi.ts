/**
 * The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json.
 * Written by hand next to the routes in app.ts; app.test.ts checks that every
 * route here answers and every /api route is described.
 */

const err = { $ref: '#/components/responses/Error' };
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const q = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: object) => ({ type: 'array', items });

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'unspin API',
    version: '1',
    description:
      'Analyse news articles (quotes and speakers, persuasion techniques, frames, genre, narratives, entity roles; every label on exact character offsets of one clean text) and query the stored corpus. The Analysis object is the schema unspin/analysis@1 described in DESIGN.md. Errors are {"error": {"code", "message"}} with a stable code. When the server is bound to a non-loopback address, POST endpoints need Authorization: Bearer <UNSPIN_TOKEN>.',
  },
  servers: [{ url: '/' }],
  paths: {
    '/api/analyze': {
      post: {
        operationId: 'analyze',
        summary: 'Analyse an article given as text, HTML or an http(s) URL (also at /api/analyse)',
        description:
          'Send application/json with exactly one of text, html or url (optional title, outlet, published, language, save), or a raw text/plain or text/html body (?save=1 to store). URLs that resolve to loopback or private addresses are refused unless the server runs with --allow-private.',
        security: [{ bearer: [] }, {}],
        parameters: [q('save', 'store the article (1 or true)')],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref('AnalyseRequest') },
            'text/plain': { schema: { type: 'string' } },
            'text/html': { schema: { type: 'string' } },
          },
        },
        responses: {
          200: json(ref('AnalyseResponse')),
          201: json(ref('AnalyseResponse'), 'Stored as a new article'),
          400: err,
          401: err,
          403: err,
          413: err,
          415: err,
          422: err,
          502: err,
          504: err,
        },
      },
    },
    '/api/articles': {
      get: {
        operationId: 'listArticles',
        summary: 'Stored articles in id order',
        parameters: [q('afterId', 'page after this id', { type: 'integer' }), q('limit', 'at most 500', { type: 'integer' })],
        responses: { 200: json({ type: 'object', properties: { articles: arrayOf(ref('StoredArticle')), total: { type: 'integer' } } }), 400: err },
      },
    },
    '/api/articles/{id}': {
      get: {
        operationId: 'getArticle',
        summary: 'One stored article with its Analysis',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 200: json({ type: 'object', properties: { article: ref('StoredArticle'), analysis: ref('Analysis') } }), 400: err, 404: err },
      },
    },
    '/api/search': {
      get: {
        operationId: 'search',
        summary: 'Full-text search with filters (newest first when q is empty)',
        parameters: [
          q('q', 'words (all must occur), "quoted phrases", OR, NOT, prefix*'),
          q('outlet', 'outlet name'),
          q('from', 'published on or after (ISO date)'),
          q('to', 'published on or before (ISO date; a bare date covers the day)'),
          q('technique', 'SemEval technique label, e.g. Loaded_Language'),
          q('frame', 'SemEval frame label, e.g. Security_and_defense'),
          q('speaker', 'a speaker name (variants match)'),
          q('narrative', 'a narrative or subnarrative label as the narratives layer gives it (e.g. "CC: Criticism of climate policies", "Other"), or a user narrative\'s name or id'),
          q('role', 'an entity role, main (Protagonist, Antagonist, Innocent) or fine (e.g. Instigator, Victim)'),
          q('entity', 'the entity cast in that role (any role when role is absent); person-name variants match'),
          q('language', 'ISO 639-1'),
          q('limit', 'at most 500', { type: 'integer' }),
          q('offset', 'skip this many hits', { type: 'integer' }),
        ],
        responses: { 200: json({ type: 'object', properties: { query: { type: 'object' }, hits: arrayOf(ref('SearchHit')) } }), 400: err },
      },
    },
    '/api/speakers': {
      get: {
        operationId: 'speakers',
        summary: 'Speakers ranked by quotes',
        parameters: [q('limit', 'at most 1000', { type: 'integer' }), q('outlet', 'only quotes in this outlet')],
        responses: { 200: json({ type: 'object', properties: { speakers: arrayOf(ref('SpeakerRank')) } }), 400: err },
      },
    },
    '/api/speakers/{name}': {
      get: {
        operationId: 'speaker',
        summary: "A speaker's dossier: every quote, descriptors per outlet, first and last seen, co-quoted people, the narratives their quotes carry, the roles they are cast in",
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: json({ type: 'object', properties: { dossier: ref('Dossier') } }), 404: err },
      },
    },
    '/api/outlets': {
      get: {
        operationId: 'outlets',
        summary: 'Outlets with article counts, most articles first',
        responses: { 200: json({ type: 'object', properties: { outlets: arrayOf(ref('OutletSummary')) } }) },
      },
    },
    '/api/outlets/{name}': {
      get: {
        operationId: 'outlet',
        summary: "An outlet's profile: techniques, frames, genres, narratives, roles, speakers, copies (name matched without case or a leading www.)",
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: json({ type: 'object', properties: { outlet: ref('OutletProfile') } }), 404: err },
      },
    },
    '/api/trends': {
      get: {
        operationId: 'trends',
        summary: 'Counts per period for the top keys of one dimension',
        parameters: [
          q('by', 'outlet | technique | frame | speaker | narrative | role (default technique); role keys read "<entity>: <main role>"', { type: 'string', enum: ['outlet', 'technique', 'frame', 'speaker', 'narrative', 'role'] }),
          q('period', 'day | week | month (default month)', { type: 'string', enum: ['day', 'week', 'month'] }),
          q('from', 'ISO date'),
          q('to', 'ISO date'),
          q('limit', 'top keys, at most 100 (default 10)', { type: 'integer' }),
        ],
        responses: {
          200: json({ type: 'object', properties: { by: { type: 'string' }, period: { type: 'string' }, rows: arrayOf(ref('TrendRow')) } }),
          400: err,
        },
      },
    },
    '/api/copies': {
      get: {
        operationId: 'copies',
        summary: 'Groups of near-duplicate articles: the earliest appearance and who copied whom',
        parameters: [q('limit', 'at most 1000 groups', { type: 'integer' })],
        responses: { 200: json({ type: 'object', properties: { groups: arrayOf(ref('CopyGroup')), total: { type: 'integer' } } }) },
      },
    },
    '/api/export': {
      get: {
        operationId: 'export',
        summary: 'The corpus as JSONL of Analyses, or CSV of quotes, techniques, speakers, narratives or entity roles (streamed; same columns as unspin export)',
        parameters: [q('format', 'jsonl (default) | quotes-csv | techniques-csv | speakers-csv | narratives-csv | roles-csv', { type: 'string', enum: ['jsonl', 'quotes-csv', 'techniques-csv', 'speakers-csv', 'narratives-csv', 'roles-csv'] })],
        responses: {
          200: { description: 'The export file', content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } } },
          400: err,
        },
      },
    },
    '/api/health': {
      get: { operationId: 'health', summary: 'Liveness and article count', responses: { 200: json({ type: 'object' }) } },
    },
    '/api/openapi.json': {
      get: { operationId: 'openapi', summary: 'This document', responses: { 200: json({ type: 'object' }) } },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'UNSPIN_TOKEN; required for POST when bound to a non-loopback address' } },
    responses: {
      Error: {
        description: 'An error with a stable code',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['error'],
              properties: {
                error: {
                  type: 'object',
                  required: ['code', 'message'],
                  properties: {
                    code: {
                      type: 'string',
                      enum: ['bad-request', 'bad-json', 'missing-input', 'unsupported-media-type', 'too-large', 'unauthorized', 'forbidden-origin', 'bad-host', 'not-found', 'method-not-allowed', 'refused-address', 'fetch-failed', 'timeout', 'unprocessable', 'internal'],
                    },
                    message: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    schemas: {
      AnalyseRequest: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          html: { type: 'string' },
          url: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          outlet: { type: 'string' },
          published: { type: 'string' },
          language: { type: 'string' },
          save: { type: 'boolean' },
        },
      },
      AnalyseResponse: {
        type: 'object',
        properties: { id: { type: ['integer', 'null'] }, status: { type: ['string', 'null'], enum: ['inserted', 'updated', 'unchanged', null] }, analysis: ref('Analysis') },
      },
      Analysis: {
        type: 'object',
        description: 'unspin/analysis@1: document (with the clean text), segments, entities, quotes, techniques, paragraphTechniques, frames, genre, models, diagnostics, and later layers under their own keys. Offsets are UTF-16 code units into document.text, half-open.',
        required: ['schema', 'document'],
        properties: { schema: { const: 'unspin/analysis@1' }, document: { type: 'object' } },
        additionalProperties: true,
      },
      StoredArticle: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          url: { type: ['string', 'null'] },
          canonicalUrl: { type: ['string', 'null'] },
          contentHash: { type: 'string' },
          outlet: { type: ['string', 'null'] },
          published: { type: ['string', 'null'] },
          language: { type: 'string' },
          title: { type: ['string', 'null'] },
          source: { type: ['string', 'null'] },
          storedAt: { type: 'string' },
        },
      },
      SearchHit: { allOf: [ref('StoredArticle'), { type: 'object', properties: { snippet: { type: 'string' }, score: { type: ['number', 'null'] } } }] },
      SpeakerRank: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          variants: arrayOf({ type: 'string' }),
          quotes: { type: 'integer' },
          articles: { type: 'integer' },
          outlets: { type: 'integer' },
          firstSeen: { type: ['string', 'null'] },
          lastSeen: { type: ['string', 'null'] },
        },
      },
      Dossier: {
        allOf: [
          ref('SpeakerRank'),
          {
            type: 'object',
            properties: {
              quotesList: arrayOf({ type: 'object' }),
              descriptorsByOutlet: arrayOf({ type: 'object' }),
              coQuoted: arrayOf({ type: 'object', properties: { name: { type: 'string' }, articles: { type: 'integer' } } }),
              narratives: arrayOf({
                type: 'object',
                description: 'narratives of the articles quoting the person; quotes: how many of their quotes overlap a sentence cited as evidence for it',
                properties: { narrative: { type: 'string' }, articles: { type: 'integer' }, quotes: { type: 'integer' } },
              }),
              roles: arrayOf({
                type: 'object',
                description: 'how articles cast the person: main role and best fine role',
                properties: { main: { type: 'string' }, fine: { type: ['string', 'null'] }, articles: { type: 'integer' }, outlets: { type: 'integer' } },
              }),
            },
          },
        ],
      },
      OutletSummary: {
        type: 'object',
        properties: { outlet: { type: 'string' }, articles: { type: 'integer' }, firstSeen: { type: ['string', 'null'] }, lastSeen: { type: ['string', 'null'] } },
      },
      OutletProfile: {
        allOf: [
          ref('OutletSummary'),
          {
            type: 'object',
            properties: {
              techniques: arrayOf({ type: 'object', properties: { technique: { type: 'string' }, spans: { type: 'integer' }, articles: { type: 'integer' } } }),
              frames: arrayOf({ type: 'object', properties: { frame: { type: 'string' }, articles: { type: 'integer' } } }),
              genres: arrayOf({ type: 'object', properties: { genre: { type: 'string' }, articles: { type: 'integer' } } }),
              narratives: arrayOf({ type: 'object', properties: { narrative: { type: 'string' }, articles: { type: 'integer' } } }),
              roles: arrayOf({ type: 'object', description: 'who the outlet casts in which main role (top 50)', properties: { name: { type: 'string' }, main: { type: 'string' }, articles: { type: 'integer' } } }),
              speakers: arrayOf(ref('SpeakerRank')),
              copies: arrayOf({
                type: 'object',
                description: 'near-duplicate pairs with an article of this outlet (at most 1000, most similar first)',
                properties: { a: { type: 'integer' }, b: { type: 'integer' }, similarity: { type: 'number' }, outletA: { type: ['string', 'null'] }, outletB: { type: ['string', 'null'] } },
              }),
            },
          },
        ],
      },
      TrendRow: { type: 'object', properties: { period: { type: 'string' }, key: { type: 'string' }, count: { type: 'integer' } } },
      CopyGroup: {
        type: 'object',
        properties: {
          original: ref('StoredArticle'),
          members: arrayOf({
            type: 'object',
            properties: { article: ref('StoredArticle'), copiedFrom: { type: ['integer', 'null'] }, similarity: { type: ['number', 'null'] } },
          }),
        },
      },
    },
  },
} as const;
