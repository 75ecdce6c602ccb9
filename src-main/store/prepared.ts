import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database';

/**
 * A hot query whose SQL is built once per engine. Building a Kysely query and compiling it
 * costs more of this process's CPU than PostgreSQL spends running a save's small statements
 * (a fifth of a save, profiled on the LAN bench). The query is built with a marker in place
 * of each parameter; later calls put the values in the markers' places and send the same
 * text, which the store's statement caches recognise.
 *
 * Only for queries whose SQL does not depend on the values: no lists of varying length, no
 * `is null` chosen by a value, no branching on a parameter inside `build`.
 */
export function preparedQuery<Params extends Record<string, unknown>, Row>(build: (db: Db, params: Params) => Compilable<Row>): (db: Db, params: Params) => Promise<Row[]> {
  // Per query compiler (SQLite and PostgreSQL spell parameters differently).
  const byCompiler = new Map<object, { sql: string; slots: ReadonlyArray<{ param: string } | { constant: unknown }> }>();
  // A string no caller would pass: a NUL byte cannot reach PostgreSQL in text.
  const MARK = '\u0000param:';
  const marker = (name: string) => `${MARK}${name}`;
  return async (db, params) => {
    const adapter = db.getExecutor().adapter.constructor;
    let shape = byCompiler.get(adapter);
    if (!shape) {
      const markers = new Proxy({}, { get: (_, name) => marker(String(name)) }) as Params;
      const compiled = build(db, markers).compile();
      if (compiled.sql.includes('\u0000')) throw new Error('preparedQuery: a parameter was written into the SQL text');
      const slots = compiled.parameters.map((value) => {
        return typeof value === 'string' && value.startsWith(MARK) ? { param: value.slice(MARK.length) } : { constant: value };
      });
      shape = { sql: compiled.sql, slots };
      byCompiler.set(adapter, shape);
    }
    const values = shape.slots.map((slot) => ('param' in slot ? params[slot.param] : slot.constant));
    const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(shape.sql, values));
    return rows;
  };
}
