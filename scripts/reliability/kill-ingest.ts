/**
 * Crash safety of `unspin ingest`: ingest a generated folder, kill the process
 * with SIGKILL at a random moment, check the database, repeat; then run the
 * same command to the end and check the corpus is complete, each article
 * exactly once, every one with all its layers.
 *
 *   node --import tsx scripts/reliability/kill-ingest.ts [--rounds 20] [--articles 400] [--seed 1] [--max-delay 8000]
 *
 * Exit status 0 when every check held. The light variant runs in npm test
 * (test/reliability/kill-ingest.test.ts, 3 rounds).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { countStored, generateArticle, rng } from '../../src/ingest-runner/testing.ts';
import { unpackAnalysis } from '../../src/store/compact.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/unspin.js');

export interface KillOptions {
  rounds?: number;
  articles?: number;
  seed?: number;
  /** Longest wait before the kill, in ms (the start-up of a run takes a few seconds). */
  maxDelayMs?: number;
  /** Pass --jobs 1 to every run (single-threaded); by default runs alternate between 1 and the default pool. */
  jobs?: 'alternate' | 1;
  log?: (line: string) => void;
}

export interface RoundResult {
  round: number;
  delayMs: number;
  /** null when the run ended before the kill. */
  killed: boolean;
  stored: number;
  problems: string[];
}

export interface KillReport {
  articles: number;
  rounds: RoundResult[];
  final: { exitCode: number | null; inserted: number; skipped: number; failed: number; stored: number; problems: string[] };
  problems: string[];
}

/** Every check on the database file; an empty list when it is sound. */
export function checkDatabase(path: string): { stored: number; problems: string[] } {
  if (!existsSync(path)) return { stored: 0, problems: [] };
  const problems: string[] = [];
  let d: Database.Database;
  try {
    d = new Database(path, { fileMustExist: true });
  } catch (err) {
    return { stored: 0, problems: [`the database does not open: ${(err as Error).message}`] };
  }
  try {
    const ok = d.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') problems.push(`integrity_check: ${String(ok)}`);
    const fk = d.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${fk.length} row(s)`);
    const hasArticles = d.prepare("select count(*) n from sqlite_master where type = 'table' and name = 'articles'").get() as { n: number };
    if (!hasArticles.n) return { stored: 0, problems }; // killed before the migrations committed
    const rows = d
      .prepare(
        `select a.id, a.analysis, a.body,
                (select count(*) from quotes q where q.article_id = a.id) quotes,
                (select count(*) from techniques t where t.article_id = a.id) techniques,
                (select count(*) from fingerprints f where f.article_id = a.id) prints
         from articles a`,
      )
      .all() as { id: number; analysis: Buffer; body: string; quotes: number; techniques: number; prints: number }[];
    const partial: number[] = [];
    for (const r of rows) {
      let ok = r.prints === 1;
      try {
        const a = unpackAnalysis(r.analysis, r.body);
        ok &&= a.document.text === r.body && a.quotes.length === r.quotes && a.techniques.length === r.techniques;
        ok &&= ['segments', 'entities', 'quotes', 'techniques', 'frames'].every((k) => (a as unknown as Record<string, unknown>)[k] !== undefined);
      } catch {
        ok = false;
      }
      if (!ok) partial.push(r.id);
    }
    if (partial.length) problems.push(`${partial.length} partial article(s): ids ${partial.slice(0, 10).join(', ')}`);
    const dup = d.prepare('select count(*) n, count(distinct content_hash) c from articles').get() as { n: number; c: number };
    if (dup.n !== dup.c) problems.push(`${dup.n - dup.c} duplicate article(s)`);
    return { stored: rows.length, problems };
  } finally {
    d.close();
  }
}

function writeCorpus(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const a = generateArticle(i, { paragraphs: 2 + (i % 4) });
    const name = `a${String(i).padStart(5, '0')}`;
    if (i % 3 === 0) writeFileSync(join(dir, `${name}.html`), `<html><head><title>${a.title}</title></head><body><article><h1>${a.title}</h1>${a.text.split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`);
    else writeFileSync(join(dir, `${name}.txt`), `${a.title}\n\n${a.text}\n`);
  }
}


/** When to kill: after a fixed time, or once `count` articles are stored plus `extraMs` (to land inside a later write). */
type KillAt = { afterMs: number } | { count: number; extraMs: number } | null;

async function run(dir: string, db: string, jobs: number | null, killAt: KillAt): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  const args = [BIN, 'ingest', dir, '--db', db, '--quiet', '--json', ...(jobs ? ['--jobs', String(jobs)] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let killed = false;
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) killed = child.kill('SIGKILL');
  };
  if (killAt && 'afterMs' in killAt) {
    const timer = setTimeout(kill, killAt.afterMs);
    exited.then(() => clearTimeout(timer));
  } else if (killAt) {
    let done = false;
    exited.then(() => (done = true));
    while (!done && countStored(db) < killAt.count) await new Promise((r) => setTimeout(r, 15));
    if (!done) {
      await new Promise((r) => setTimeout(r, killAt.extraMs));
      kill();
    }
  }
  const code = await exited;
  return { code, killed, stdout, stderr };
}

export async function killIngest(opts: KillOptions = {}): Promise<KillReport> {
  const rounds = opts.rounds ?? 20;
  const n = opts.articles ?? 400;
  const rand = rng(opts.seed ?? 1);
  const maxDelay = opts.maxDelayMs ?? 8_000;
  const log = opts.log ?? (() => {});
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-kill-'));
  try {
    const dir = join(tmp, 'articles');
    const db = join(tmp, 'corpus.db');
    writeCorpus(dir, n);
    const results: RoundResult[] = [];
    const problems: string[] = [];
    let before = 0;
    for (let round = 1; round <= rounds; round++) {
      // Odd rounds: a random moment (start-up, migrations, the first writes); even rounds: once a random
      // number more articles are stored, plus up to 150 ms, to land inside a later transaction.
      const byTime = round % 2 === 1;
      const delayMs: number = byTime ? Math.round(300 + rand() * (maxDelay - 300)) : Math.round(rand() * 150);
      const target = before + 1 + Math.floor(rand() * Math.max(1, Math.min(n - before - 1, n / rounds)));
      const jobs = opts.jobs === 1 || Math.floor((round - 1) / 2) % 2 === 0 ? 1 : null;
      const r = await run(dir, db, jobs, byTime ? { afterMs: delayMs } : { count: target, extraMs: delayMs });
      const check = checkDatabase(db);
      const roundProblems = [...check.problems];
      if (check.stored < before) roundProblems.push(`articles lost: ${before} before the round, ${check.stored} after`);
      if (!r.killed && r.code !== 0) roundProblems.push(`the run exited ${r.code} without being killed: ${r.stderr.slice(-500)}`);
      before = check.stored;
      results.push({ round, delayMs, killed: r.killed, stored: check.stored, problems: roundProblems });
      problems.push(...roundProblems.map((p) => `round ${round}: ${p}`));
      log(`round ${round}: ${r.killed ? (byTime ? `SIGKILL after ${delayMs} ms` : `SIGKILL ${delayMs} ms after article ${target} was stored`) : `finished before the kill (exit ${r.code})`} (--jobs ${jobs ?? 'default'}); ${check.stored}/${n} stored; ${roundProblems.length ? roundProblems.join('; ') : 'database ok'}`);
    }
    const last = await run(dir, db, null, null);
    const check = checkDatabase(db);
    const finalProblems = [...check.problems];
    let summary = { inserted: 0, skipped: 0, failed: [] as unknown[] };
    try {
      summary = JSON.parse(last.stdout);
    } catch {
      finalProblems.push(`the rerun printed no JSON summary (exit ${last.code}): ${last.stderr.slice(-500)}`);
    }
    if (last.code !== 0) finalProblems.push(`the rerun exited ${last.code}: ${last.stderr.slice(-500)}`);
    if (check.stored !== n) finalProblems.push(`${check.stored} articles stored, expected ${n}`);
    if (summary.inserted + summary.skipped !== n) finalProblems.push(`the rerun stored ${summary.inserted} and skipped ${summary.skipped}, which is not ${n}`);
    if (summary.skipped !== before) finalProblems.push(`the rerun skipped ${summary.skipped}, but ${before} were stored before it`);
    problems.push(...finalProblems.map((p) => `final run: ${p}`));
    log(`final run: exit ${last.code}; ${summary.inserted} stored, ${summary.skipped} already stored, ${summary.failed.length} failed; ${check.stored}/${n} in the database; ${finalProblems.length ? finalProblems.join('; ') : 'database ok'}`);
    return {
      articles: n,
      rounds: results,
      final: { exitCode: last.code, inserted: summary.inserted, skipped: summary.skipped, failed: summary.failed.length, stored: check.stored, problems: finalProblems },
      problems,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, articles: { type: 'string' }, seed: { type: 'string' }, 'max-delay': { type: 'string' } },
  });
  const report = await killIngest({
    rounds: values.rounds ? Number(values.rounds) : undefined,
    articles: values.articles ? Number(values.articles) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    maxDelayMs: values['max-delay'] ? Number(values['max-delay']) : undefined,
    log: (l) => console.log(l),
  });
  const killed = report.rounds.filter((r) => r.killed).length;
  console.log(`${report.rounds.length} rounds, ${killed} killed mid-run, ${report.articles} articles: ${report.problems.length ? `${report.problems.length} PROBLEM(S)` : 'no problem found'}`);
  for (const p of report.problems) console.log(`  ${p}`);
  process.exit(report.problems.length ? 1 : 0);
}
