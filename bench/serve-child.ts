/** Helpers shared by the server benchmarks: a real `unspin serve` child process, and quantiles. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `unspin serve` on 127.0.0.1 and a free port; resolves with its base URL once it listens. */
export async function startServe(db: string, workers = 1): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/unspin.js'), 'serve', '--db', db, '--host', '127.0.0.1', '--port', '0', '--workers', String(workers)], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`unspin serve did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`unspin serve exited ${code}: ${err}`)));
  });
  return { url, child };
}

/** The q-quantile of an ascending array (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * CPU time (user + system, ms) used so far by a process (all its threads) and
 * by its main thread alone, from /proc (Linux; NaN elsewhere). On a shared
 * machine, CPU per request or per article is far steadier than wall time, and
 * it tells what an idle machine would do: with c cores, at most
 * min(c / process CPU, 1 / main-thread CPU) per second.
 */
export function cpuMs(pid: number = process.pid): { process: number; main: number } {
  const read = (path: string) => {
    try {
      const f = readFileSync(path, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS;
    } catch {
      return NaN;
    }
  };
  return { process: read(`/proc/${pid}/stat`), main: read(`/proc/${pid}/task/${pid}/stat`) };
}

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The throughput CPU time allows on `cores` idle cores, given CPU ms per item for the process and its main thread. */
export function idleCeiling(cores: number, processMs: number, mainMs: number): number {
  return Math.min((cores * 1000) / processMs, 1000 / mainMs);
}
