import { defineHandlers } from '../core/handlers';
import { hashPassword } from '../accounts/passwords';
import { countUsers, insertAccount } from '../accounts/repository';
import { localDate } from '../../src-shared/rules/dates';
import { DEMO_LOGINS_KEY, DEMO_PASSWORD, DEMO_TIME_ZONE, generateDemoSchool } from '../demo/generate';
import type { Db } from '../store/database';
import { demoAccounts, type DemoAccount } from '../../src-shared/contract/auth';
import { seedDefaultWorkTypes } from '../settings/handlers';
import { conflict } from '../core/errors';

// The first run (setup.*): is there a school in this database; create one with its
// administrator, or open the deterministic demo school («Открыть демонстрационную школу»).

/** The demo school's sample accounts, for the login screen; null for a real school. */
async function demoLogins(db: Db): Promise<{ accounts: DemoAccount[]; password: string } | null> {
  const row = await db.selectFrom('school_setting').select('value').where('key', '=', DEMO_LOGINS_KEY).executeTakeFirst();
  if (!row) return null;
  const accounts = demoAccounts.safeParse(JSON.parse(row.value));
  return accounts.success ? { accounts: accounts.data, password: DEMO_PASSWORD } : null;
}

export function setupHandlers() {
  return defineHandlers({
    async 'setup.status'(_input, ctx) {
      const school = await ctx.store.db.selectFrom('school').select(['name', 'time_zone']).where('id', '=', 1).executeTakeFirst();
      return { initialized: Boolean(school), schoolName: school?.name ?? null, timeZone: school?.time_zone ?? null, demo: school ? await demoLogins(ctx.store.db) : null };
    },

    async 'setup.createSchool'(input, ctx) {
      const passwordHash = await hashPassword(input.adminPassword);
      return ctx.transaction(async (tx) => {
        const existing = await tx.selectFrom('school').select('id').executeTakeFirst();
        if (existing || (await countUsers(tx)) > 0) throw conflict('Школа в этой базе уже создана.');
        const now = ctx.now().toISOString();
        await tx.insertInto('school').values({ id: 1, name: input.schoolName, time_zone: input.timeZone, created_at: now, signing_key_private: null, signing_key_public: null }).execute();
        const admin = await insertAccount(tx, {
          login: input.adminLogin,
          fullName: input.adminFullName,
          position: 'Администратор электронного журнала',
          roles: ['administrator'],
          passwordHash,
          // The person who created the school chose this password: it is not temporary.
          mustChangePassword: false,
          createdAt: now,
        });
        await ctx.audit(tx, { userId: admin.id, action: 'school.create', entity: 'school', entityId: 1, after: { name: input.schoolName, timeZone: input.timeZone } });
        await ctx.audit(tx, { userId: admin.id, action: 'account.create', entity: 'app_user', entityId: admin.id, after: { login: admin.login, fullName: admin.full_name, roles: ['administrator'] } });
        // D-22: a new school can take marks at once, with the usual work types and weights.
        await seedDefaultWorkTypes(tx, ctx, admin.id);
        return { schoolId: 1, adminId: admin.id };
      });
    },

    async 'setup.createDemo'(input, ctx) {
      const now = ctx.now();
      // The generator refuses a database that already has a school (conflict).
      const result = await generateDemoSchool(ctx.store, {
        seed: input.seed,
        today: localDate(now, DEMO_TIME_ZONE),
        auditAt: now.toISOString(),
      });
      return { schoolName: result.schoolName, accounts: result.accounts, password: result.password };
    },
  });
}
