import { russianDate } from '../../src-shared/rules/dates';
import { hasPermission } from '../../src-shared/roles';
import { conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { listStaff } from '../school/people';
import { schoolToday } from '../school/years';
import { staffConsentQuery, staffWithConsent, toStaffConsent } from './consents';

/** The staff list (staff.*): who may teach, lead a class, substitute; their consents (D-45). */
export function staffHandlers() {
  return defineHandlers({
    async 'staff.list'(input, ctx) {
      const db = ctx.store.db;
      const staff = await listStaff(db, input);
      // Whether a colleague consented is their personal data: only those who keep staff records see it.
      if (!hasPermission(ctx.requireCaller().roles, 'school.people')) return staff.map((person) => ({ ...person, consentMissing: null }));
      const consenting = await staffWithConsent(db, await schoolToday(db, ctx.now()));
      return staff.map((person) => ({ ...person, consentMissing: !consenting.has(person.id) }));
    },

    async 'staff.consents'(input, ctx) {
      const db = ctx.store.db;
      if (!(await db.selectFrom('app_user').select('id').where('id', '=', input.userId).executeTakeFirst())) throw notFound('Сотрудник не найден.');
      const rows = await staffConsentQuery(db).where('sc.user_id', '=', input.userId).orderBy('sc.given_on', 'desc').orderBy('sc.id', 'desc').execute();
      return rows.map(toStaffConsent);
    },

    async 'staff.consents.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const user = await tx.selectFrom('app_user').select(['id', 'active']).where('id', '=', input.userId).executeTakeFirst();
        if (!user) throw notFound('Сотрудник не найден.');
        if (user.active !== 1) throw conflict('Учётная запись сотрудника отключена: согласие не регистрируется.');
        const today = await schoolToday(tx, ctx.now());
        if (input.givenOn > today) throw invalid(`Дата согласия ${russianDate(input.givenOn)} ещё не наступила.`, [{ path: 'givenOn', message: 'Дата ещё не наступила' }]);
        const existing = await tx.selectFrom('staff_consent').select(['given_on', 'withdrawn_on']).where('user_id', '=', input.userId).execute();
        const current = existing.find((c) => c.withdrawn_on === null);
        if (current) throw conflict(`У сотрудника уже есть согласие от ${russianDate(current.given_on)}: сначала отметьте его отзыв.`);
        const inserted = await tx
          .insertInto('staff_consent')
          .values({ user_id: input.userId, given_on: input.givenOn, withdrawn_on: null, created_at: ctx.now().toISOString(), created_by: ctx.requireCaller().userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        const consent = toStaffConsent(await staffConsentQuery(tx).where('sc.id', '=', inserted.id).executeTakeFirstOrThrow());
        await ctx.audit(tx, { action: 'staff.consent.add', entity: 'app_user', entityId: input.userId, after: { givenOn: consent.givenOn } });
        return consent;
      });
    },

    async 'staff.consents.withdraw'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('staff_consent').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Согласие не найдено.');
        if (row.withdrawn_on !== null) throw conflict(`Согласие уже отозвано ${russianDate(row.withdrawn_on)}.`);
        if (input.withdrawnOn < row.given_on) throw invalid(`Дата отзыва ${russianDate(input.withdrawnOn)} раньше даты согласия ${russianDate(row.given_on)}.`, [{ path: 'withdrawnOn', message: 'Раньше даты согласия' }]);
        const today = await schoolToday(tx, ctx.now());
        if (input.withdrawnOn > today) throw invalid(`Дата отзыва ${russianDate(input.withdrawnOn)} ещё не наступила.`, [{ path: 'withdrawnOn', message: 'Дата ещё не наступила' }]);
        await tx.updateTable('staff_consent').set({ withdrawn_on: input.withdrawnOn }).where('id', '=', row.id).execute();
        await ctx.audit(tx, { action: 'staff.consent.withdraw', entity: 'app_user', entityId: row.user_id, before: { givenOn: row.given_on, withdrawnOn: null }, after: { givenOn: row.given_on, withdrawnOn: input.withdrawnOn } });
        return toStaffConsent(await staffConsentQuery(tx).where('sc.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },
  });
}
