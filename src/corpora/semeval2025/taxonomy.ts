/**
 * The SemEval-2025 Task 10 label inventory: 21 narratives (11 URW, 10 CC) with
 * their subnarratives (each narrative also has "X: Other"), the `Other` label,
 * the class lists the official ST2 scorer uses, and the entity-role taxonomy.
 * Data in taxonomy.json (label names only; see its `_source`).
 */
import { readFileSync } from 'node:fs';

export interface NarrativeDef {
  /** "URW: Discrediting Ukraine" */
  label: string;
  domain: 'URW' | 'CC';
  name: string;
  /** Full subnarrative labels, "X: Other" last. */
  subnarratives: string[];
}

interface TaxonomyFile {
  narratives: NarrativeDef[];
  scorerNarratives: string[];
  scorerSubnarratives: string[];
  roles: Record<string, string[]>;
}

const data = JSON.parse(readFileSync(new URL('./taxonomy.json', import.meta.url), 'utf8')) as TaxonomyFile;

export const OTHER = 'Other';
export const DOMAINS = ['URW', 'CC'] as const;
export type Domain = (typeof DOMAINS)[number];

export const NARRATIVES: readonly NarrativeDef[] = data.narratives;
/** 21 narratives + Other. */
export const COARSE_LABELS: readonly string[] = [...data.narratives.map((n) => n.label), OTHER];
/** 95 subnarratives + Other. */
export const FINE_LABELS: readonly string[] = [...data.narratives.flatMap((n) => n.subnarratives), OTHER];
/** The official scorer's class lists (22 coarse, 91 fine). */
export const SCORER_COARSE: readonly string[] = data.scorerNarratives;
export const SCORER_FINE: readonly string[] = data.scorerSubnarratives;

const parentOf = new Map<string, string>();
for (const n of data.narratives) for (const s of n.subnarratives) parentOf.set(s, n.label);
/** The narrative a subnarrative belongs to (undefined for Other or unknown labels). */
export function parentNarrative(sub: string): string | undefined {
  return parentOf.get(sub);
}
export function domainOf(label: string): Domain | null {
  if (label.startsWith('URW: ')) return 'URW';
  if (label.startsWith('CC: ')) return 'CC';
  return null;
}
export function narrativeDef(label: string): NarrativeDef | undefined {
  return data.narratives.find((n) => n.label === label);
}

/** Main role → fine roles, in taxonomy order. */
export const ROLES: Readonly<Record<string, readonly string[]>> = data.roles;
export const MAIN_ROLES: readonly string[] = Object.keys(data.roles);
export const FINE_ROLES: readonly string[] = Object.values(data.roles).flat();
const mainOfFine = new Map<string, string>();
for (const [m, fs] of Object.entries(data.roles)) for (const f of fs) mainOfFine.set(f, m);
export function mainRoleOf(fine: string): string | undefined {
  return mainOfFine.get(fine);
}
/** Sorts fine roles into taxonomy order (what both scorer versions agree on). */
export function sortFineRoles(roles: Iterable<string>): string[] {
  const order = new Map(FINE_ROLES.map((r, i) => [r, i]));
  return [...new Set(roles)].sort((a, b) => (order.get(a) ?? 99) - (order.get(b) ?? 99));
}
