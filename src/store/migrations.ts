import { Migrator, type Kysely, type Migration } from 'kysely';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_fts_vocab.ts';
import * as m0003 from './migrations/0003_narratives_roles.ts';
import * as m0004 from './migrations/0004_quote_act.ts';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, applied in name order and recorded in Kysely's
 * migration table. A migration receives the dialect for the few statements
 * that differ (id columns, full-text index); everything else is shared so
 * SQLite and PostgreSQL hold the same schema. Add a migration as a new file
 * and one line here; never edit one that has shipped.
 */
const MIGRATIONS: Record<string, { up(db: Kysely<any>, dialect: Dialect): Promise<void> }> = {
  '0001_initial': m0001,
  '0002_fts_vocab': m0002,
  '0003_narratives_roles': m0003,
  '0004_quote_act': m0004,
};

export const LATEST = Object.keys(MIGRATIONS).sort().at(-1)!;

/**
 * `schema`: where Kysely keeps its migration tables on PostgreSQL (the store's own schema, so two stores in one database stay apart).
 * `to`: stop after this migration (tests build a database as an older version left it).
 */
export async function migrate(db: Kysely<any>, dialect: Dialect, schema?: string | null, to?: string): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) migrations[name] = { up: (d) => m.up(d, dialect) };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = to ? await migrator.migrateTo(to) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
