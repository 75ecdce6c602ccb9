import { AppError } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { auditKeyOf, auditKeyStatus, enterAuditKey } from './key';
import { keyFileText, phraseOf } from './phrase';

/** «14.10.2026»: the date on the key slip. */
function slipDate(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getDate())}.${two(at.getMonth() + 1)}.${at.getFullYear()}`;
}

/** The school's audit key on this PC: its status, the phrase for the slip, entering it here. */
export function auditKeyHandlers() {
  return defineHandlers({
    async 'audit.keyStatus'(_input, ctx) {
      return auditKeyStatus(ctx.store);
    },

    async 'audit.keyPhrase'(_input, ctx) {
      const status = await auditKeyStatus(ctx.store);
      const key = auditKeyOf(ctx.store);
      if (!status.onThisPc || !key) {
        throw new AppError('conflict', status.schoolHasKey
          ? 'На этом компьютере нет ключа журнала изменений школы: покажите фразу на компьютере, где он есть, или введите её здесь.'
          : 'У школы ещё нет ключа журнала изменений.');
      }
      const school = await ctx.store.db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirstOrThrow();
      // Who saw the key, and when, is part of the history.
      await ctx.transaction((tx) => ctx.audit(tx, { action: 'audit.key.shown', entity: 'school', entityId: 1 }));
      return { schoolName: school.name, phrase: phraseOf(key.secret), keyFile: keyFileText(school.name, key.secret, slipDate(ctx.now())) };
    },

    async 'audit.keyEnter'(input, ctx) {
      await enterAuditKey(ctx.store, input.phrase);
      // The first keyed record from this PC says the key arrived here.
      await ctx.transaction((tx) => ctx.audit(tx, { action: 'audit.key.entered', entity: 'school', entityId: 1 }));
      return auditKeyStatus(ctx.store);
    },
  });
}
