import { UserError } from '../cli/command.ts';
import type { Store } from './types.ts';

export type * from './types.ts';

export const DEFAULT_DB = './unspin.db';

/**
 * The database a command uses: `--db` when given, otherwise the
 * UNSPIN_DATABASE_URL environment variable, otherwise ./unspin.db. A path or
 * `sqlite:<path>` opens SQLite; `postgres://…` (or `postgresql://…`, with an
 * optional `?schema=name`) opens PostgreSQL.
 */
export function databaseUrl(option?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.UNSPIN_DATABASE_URL || DEFAULT_DB;
}

export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { PostgresStore, redactUrl } = await import('./postgres.ts');
    try {
      return await PostgresStore.open(url);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '28P01' || e.code === '3D000' || e.code === '28000' || /timeout/i.test(e.message)) {
        throw new UserError(`cannot connect to ${redactUrl(url)}: ${e.message || e.code}`);
      }
      throw err;
    }
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  const { SqliteStore } = await import('./sqlite.ts');
  try {
    return await SqliteStore.open(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_NOTADB') throw new UserError(`cannot open database ${path}: ${e.message}`);
    throw err;
  }
}
