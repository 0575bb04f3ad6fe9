import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import type { Analysis } from '../../src/document/types.ts';
import { canonicalUrl, contentHash } from '../../src/corpus/meta.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { loadWebAssets } from '../../src/server/static.ts';

/**
 * Shared set-up for the browser tests: a fresh in-memory corpus, the server on
 * a free loopback port serving the built UI (built first when missing or older
 * than its sources), and Debian's Chromium driven by playwright-core.
 */

export const CHROMIUM = process.env.UNSPIN_CHROMIUM ?? '/usr/bin/chromium';
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_SRC = join(ROOT, 'src/web');
const WEB_OUT = join(ROOT, 'dist/web');

/** Why browser tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`;
  return null;
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds dist/web unless it is already newer than every file in src/web. */
export function ensureWebBuilt(): void {
  const index = join(WEB_OUT, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(WEB_SRC)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB_SRC, 'vite.config.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function putAnalysis(store: Store, a: Analysis): Promise<number> {
  return (await store.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url, source: 'test' })).id;
}

export interface Harness {
  store: Store;
  server: RunningServer;
  // playwright-core types are loaded lazily so the module imports without a browser.
  context: import('playwright-core').BrowserContext;
  page: import('playwright-core').Page;
  /** Console errors and CSP violations seen by the page. */
  problems: string[];
  close(): Promise<void>;
}

export async function openHarness(seed: (store: Store) => Promise<void>): Promise<Harness> {
  ensureWebBuilt();
  const store = await openStore(':memory:');
  await seed(store);
  const web = loadWebAssets(WEB_OUT);
  if (!web) throw new Error('dist/web is missing after the build');
  const server = await startServer({ store, port: 0, web });
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'unspin-chromium-'));
  // A persistent context is playwright's way of giving Chromium a fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Nothing but our own server may be contacted.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue();
    problems.push(`blocked request to ${url}`);
    return route.abort();
  });
  return {
    store,
    server,
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      await server.close();
      await store.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
