import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

const SLOT = Symbol('slot');
type Slot = { [SLOT]: string };
const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

/**
 * A query built and compiled once, then run with new values. Kysely rebuilds and recompiles a query on every
 * call, which for the hottest statements costs more than SQLite's own work. `build` gets stand-ins for the named
 * values: use them only where a plain value goes (`eb.val(p.x)`, the right side of `where`, `values({...})`).
 * The SQL is compiled on first use; every database in this app speaks SQLite, so one compilation serves all.
 */
export function preparedQuery<P extends Record<string, unknown>, R>(build: (db: Kysely<Database>, p: P) => Compilable<R>) {
  let prepared: { query: CompiledQuery<R>; slots: (string | { value: unknown })[] } | undefined;
  return async (db: Kysely<Database> | Transaction<Database>, values: P): Promise<R[]> => {
    if (!prepared) {
      const standIns = new Proxy({}, { get: (_, name) => ({ [SLOT]: String(name) }) }) as P;
      const query = build(db, standIns).compile();
      prepared = { query, slots: query.parameters.map((v) => (isSlot(v) ? v[SLOT] : { value: v })) };
    }
    const parameters = prepared.slots.map((slot) => (typeof slot === 'string' ? values[slot] : slot.value));
    const query: CompiledQuery<R> = { ...prepared.query, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
