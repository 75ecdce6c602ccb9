import { sql } from 'kysely';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, methodNames } from '../../src-shared/contract/index';
import { hasPermission, roles, type Role } from '../../src-shared/roles';
import { createSchoolAndSignIn, signIn, TestSession } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';

// Contract-wide rules, read from the contract itself: a method added later is covered
// without touching this file.

const HUGE = 'я'.repeat(100_000);
const TEMPORARY = 'Временный-пароль-1';
const OWN = 'Собственный-пароль-1';

type AnySchema = z.ZodType & { _zod: { def: { type: string; innerType?: AnySchema; in?: AnySchema; shape?: Record<string, AnySchema> } } };

/** The schema under optional/default/nullable/pipe wrappers: what a value is checked against first. */
function unwrap(schema: AnySchema): AnySchema {
  const def = schema._zod.def;
  if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type) && def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}

function objectShape(schema: z.ZodType): Record<string, AnySchema> | null {
  const inner = unwrap(schema as AnySchema);
  return inner._zod.def.type === 'object' ? (inner._zod.def.shape ?? {}) : null;
}

function stringFields(schema: z.ZodType): string[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => unwrap(field)._zod.def.type === 'string')
    .map(([name]) => name);
}

function requiredFields(schema: z.ZodType): string[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

/** Row counts of every table and the newest audit record: "nothing changed" made checkable. */
async function snapshot(t: TestCore): Promise<Record<string, number>> {
  const tables = (await t.core.store.db.introspection.getTables()).filter((table) => table.schema === undefined || table.schema === 'public');
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(t.core.store.db);
    counts[table.name] = Number(rows[0]?.n ?? 0);
  }
  counts['newest audit record'] = await newestAuditId(t);
  return counts;
}

describe.each(engines)('the contract on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;

  /** An account holding exactly these roles, its temporary password already changed. */
  async function accountWith(login: string, held: Role[]): Promise<{ session: TestSession; login: string }> {
    await admin.ok('accounts.create', { login, fullName: `Проверка ролей ${login}`, roles: held, temporaryPassword: TEMPORARY });
    const first = await signIn(t.core, login, TEMPORARY);
    await first.ok('auth.changePassword', { currentPassword: TEMPORARY, newPassword: OWN });
    return { session: first, login };
  }

  beforeAll(async () => {
    t = await startTestCore(engine, { logError: () => {} });
    admin = await createSchoolAndSignIn(t.core);
  });
  afterAll(async () => t?.close());

  it('every method has a handler and every handler a method', () => {
    const handled = new Set(t.core.handledMethods);
    const declared = new Set<string>(methodNames);
    expect({
      methodsWithoutHandler: methodNames.filter((name) => !handled.has(name)),
      handlersWithoutMethod: [...handled].filter((name) => !declared.has(name)),
    }).toEqual({ methodsWithoutHandler: [], handlersWithoutMethod: [] });
  });

  it('every method declares a permission the role table knows', () => {
    for (const method of methodNames) {
      expect(contract[method].summary, method).not.toBe('');
      expect(typeof hasPermission([], contract[method].permission), method).toBe('boolean');
    }
  });

  it('permission matrix: each role reaches exactly the methods its permissions allow', async () => {
    const anonymous = new TestSession(t.core);
    for (const method of methodNames) {
      const result = await anonymous.raw(method, {});
      const kind = result.ok ? 'ok' : result.error.kind;
      if (contract[method].permission === 'public') expect(kind, `${method} anonymously`).not.toMatch(/^(forbidden|unauthenticated)$/);
      else expect(kind, `${method} anonymously`).toBe('unauthenticated');
    }

    for (const role of roles) {
      const account = await accountWith(`matrix.${role}`, [role]);
      let session = account.session;
      for (const method of methodNames) {
        const result = await session.raw(method, {});
        const kind = result.ok ? 'ok' : result.error.kind;
        const allowed = hasPermission([role], contract[method].permission);
        if (allowed) expect(kind, `${role} → ${method}`).not.toMatch(/^(forbidden|unauthenticated)$/);
        else expect(kind, `${role} → ${method}`).toBe('forbidden');
        // A method such as auth.logout may end the session: sign in again for the next one.
        if (!(await session.raw('auth.whoami', {})).ok) session = await signIn(t.core, account.login, OWN);
      }
    }
  }, 240_000);

  describe('bad input to every method gives `validation` and changes nothing', () => {
    let everything: TestSession;
    let before: Record<string, number>;
    beforeAll(async () => {
      everything = (await accountWith('matrix.all', [...roles])).session;
      before = await snapshot(t);
    });

    it('wrong types', async () => {
      for (const method of methodNames) {
        for (const input of [12345, 'строка', [1, 2, 3], true]) {
          const result = await everything.raw(method, input);
          expect(result.ok ? 'ok' : result.error.kind, `${method}(${JSON.stringify(input)})`).toBe('validation');
        }
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('missing required fields', async () => {
      for (const method of methodNames) {
        if (requiredFields(contract[method].input).length === 0) continue;
        const result = await everything.raw(method, {});
        expect(result.ok ? 'ok' : result.error.kind, `${method}({})`).toBe('validation');
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('a 100 000-character string in any text field is refused, naming the field', async () => {
      let checked = 0;
      for (const method of methodNames) {
        for (const field of stringFields(contract[method].input)) {
          const result = await everything.raw(method, { [field]: HUGE });
          expect(result.ok ? 'ok' : result.error.kind, `${method}.${field}`).toBe('validation');
          if (!result.ok) {
            const paths = (result.error.details as Array<{ path: string }>).map((d) => d.path);
            expect(paths, `${method}.${field} must be bounded`).toContain(field);
          }
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(await snapshot(t)).toEqual(before);
    });
  });
});
