import { existsSync } from 'node:fs';
import { UsageError, UserError } from '../cli/command.ts';
import { databaseUrl, openStore } from './index.ts';
import type { Store } from './types.ts';
import { csvField } from './export.ts';

/** The --db option every corpus command takes, with its help line. */
export const DB_OPTION = { db: { type: 'string' as const } };
export const DB_HELP = `  --db <path|url>    SQLite file or postgres://… URL (default $UNSPIN_DATABASE_URL, else ./unspin.db)`;

/**
 * Opens the store named by --db / UNSPIN_DATABASE_URL / ./unspin.db, runs fn,
 * and closes it. `mustExist` refuses to create an empty database for commands
 * that only read.
 */
export async function withStore<T>(dbOption: string | undefined, fn: (store: Store) => Promise<T>, opts: { mustExist?: boolean } = {}): Promise<T> {
  const url = databaseUrl(dbOption);
  const isFile = !/^[a-z]+:\/\//i.test(url) && url !== ':memory:';
  if (opts.mustExist && isFile && !existsSync(url.replace(/^sqlite:/i, ''))) {
    throw new UserError(`no database at ${url}: run 'unspin ingest' first, or give --db <path>`);
  }
  const store = await openStore(url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} needs a positive whole number`);
  return n;
}

/** Checks a --from/--to value early so a typo is a usage error, not an empty result. */
export function dateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}(-\d\d(-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?)?)?$/.test(value.trim())) {
    throw new UsageError(`--${name} needs a date like 2024, 2024-03 or 2024-03-05`);
  }
  return value;
}

/** A CSV line (LF-terminated) of RFC 4180 fields, spreadsheet formulas defused (`csvField`). */
export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\n';
}

/** '2024-03-05T09:30:00.000Z' → '2024-03-05'; null → '—'. */
export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}
