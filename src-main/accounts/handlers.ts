import type { Role } from '../../src-shared/roles';
import { AppError, conflict, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { HandlerContext } from '../core/context';
import type { SessionStore } from '../core/sessions';
import { pcDirOf, writeAnchor } from '../audit/anchors';
import { verifyAudit } from '../audit/verify';
import { listAudit } from '../audit/repository';
import { readSchoolSettings } from '../settings/school-settings';
import type { Db } from '../store/database';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords';
import { UnknownLoginAttempts } from './unknown-logins';
import {
  findUser,
  findUserByLogin,
  insertAccount,
  listAccounts,
  rolesOf,
  setRoles,
  toAccount,
} from './repository';
import { classesLedBy, type ClassTeacherLookup } from './class-teacher';
import { auditPlaces, placeText, type AuditedRecord } from '../journal/audit-places';

const WRONG_CREDENTIALS = 'Неверный логин или пароль.';

function formatLocalTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

async function schoolTimeZone(ctx: HandlerContext): Promise<string> {
  const school = await ctx.store.db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst();
  return school?.time_zone ?? 'Europe/Moscow';
}

async function lockedOut(ctx: HandlerContext, lockedUntil: string): Promise<AppError> {
  const zone = await schoolTimeZone(ctx);
  return new AppError('locked', `Слишком много неудачных попыток входа. Учётная запись заблокирована до ${formatLocalTime(lockedUntil, zone)}; администратор может снять блокировку раньше.`, { lockedUntil });
}

export function authHandlers(sessions: SessionStore, classTeacher: ClassTeacherLookup = classesLedBy) {
  const unknownLogins = new UnknownLoginAttempts();
  async function currentUser(ctx: HandlerContext, userId: number) {
    const user = await findUser(ctx.store.db, userId);
    if (!user) throw notFound('Учётная запись не найдена.');
    return {
      id: user.id,
      login: user.login,
      fullName: user.full_name,
      position: user.position,
      roles: await rolesOf(ctx.store.db, user.id),
      mustChangePassword: user.must_change_password === 1,
      classTeacherOf: await classTeacher(ctx.store.db, user.id),
    };
  }

  return defineHandlers({
    async 'auth.login'(input, ctx) {
      // An unknown login and a wrong password get the same answers, in about the same time:
      // the same argon2 work (against a decoy hash), the same count of attempts left, the same lock.
      const user = await findUserByLogin(ctx.store.db, input.login);
      const now = ctx.now();
      const attempts = user ? { failures: user.failed_attempts, lockedUntil: user.locked_until } : unknownLogins.get(input.login);
      if (attempts.lockedUntil && attempts.lockedUntil > now.toISOString()) throw await lockedOut(ctx, attempts.lockedUntil);
      const valid = (await verifyPassword(user?.password_hash ?? DECOY_HASH, input.password)) && user !== undefined;
      const settings = await readSchoolSettings(ctx.store.db);
      if (!valid || !user) {
        // A lock that has run out starts a fresh count.
        const failures = (attempts.lockedUntil ? 0 : attempts.failures) + 1;
        const lockNow = failures >= settings.loginMaxFailures;
        const lockedUntil = lockNow ? new Date(now.getTime() + settings.loginLockMinutes * 60_000).toISOString() : null;
        const counted = { failures: lockNow ? 0 : failures, lockedUntil };
        if (user) {
          await ctx.transaction(async (tx) => {
            await tx.updateTable('app_user').set({ failed_attempts: counted.failures, locked_until: lockedUntil }).where('id', '=', user.id).execute();
            await ctx.audit(tx, { userId: user.id, action: lockNow ? 'auth.lockout' : 'auth.failure', entity: 'app_user', entityId: user.id, after: lockNow ? { lockedUntil } : { failures } });
          });
        } else {
          unknownLogins.set(input.login, counted);
        }
        if (lockNow) throw await lockedOut(ctx, lockedUntil!);
        const left = settings.loginMaxFailures - failures;
        throw new AppError('unauthenticated', `${WRONG_CREDENTIALS} Осталось попыток до блокировки: ${left}.`);
      }
      // Only the right password learns that the account is blocked.
      if (user.compromised_at || user.active !== 1) {
        throw new AppError('locked', 'Учётная запись заблокирована. Обратитесь к администратору журнала.');
      }
      await ctx.transaction(async (tx) => {
        await tx.updateTable('app_user').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { userId: user.id, action: 'auth.login', entity: 'app_user', entityId: user.id });
      });
      const session = sessions.open(user.id, now.getTime(), { withTemporaryPassword: user.must_change_password === 1 });
      return { session, user: await currentUser(ctx, user.id) };
    },

    async 'auth.logout'(_input, ctx) {
      sessions.close(ctx.requireCaller().sessionToken);
      return { done: true };
    },

    async 'auth.whoami'(_input, ctx) {
      return currentUser(ctx, ctx.requireCaller().userId);
    },

    async 'auth.changePassword'(input, ctx) {
      const caller = ctx.requireCaller();
      const user = await findUser(ctx.store.db, caller.userId);
      if (!user) throw notFound('Учётная запись не найдена.');
      if (input.currentPassword === undefined) {
        // The temporary password was typed at this very sign-in; any other change asks for it.
        if (!(user.must_change_password === 1 && sessions.openedWithTemporaryPassword(caller.sessionToken))) {
          throw new AppError('validation', 'Введите текущий пароль.', [{ path: 'currentPassword', message: 'Введите текущий пароль' }]);
        }
      } else if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        throw new AppError('validation', 'Текущий пароль введён неверно.', [{ path: 'currentPassword', message: 'Неверный пароль' }]);
      }
      if (input.newPassword === input.currentPassword || (input.currentPassword === undefined && (await verifyPassword(user.password_hash, input.newPassword)))) {
        throw new AppError('validation', 'Новый пароль должен отличаться от прежнего.', [{ path: 'newPassword', message: 'Совпадает с прежним' }]);
      }
      const hash = await hashPassword(input.newPassword);
      await ctx.transaction(async (tx) => {
        await tx.updateTable('app_user').set({ password_hash: hash, must_change_password: 0, password_changed_at: ctx.now().toISOString(), version: user.version + 1 }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { action: 'auth.changePassword', entity: 'app_user', entityId: user.id });
      });
      sessions.closeAllOf(user.id, caller.sessionToken);
      return { done: true };
    },

    async 'auth.requestPasswordReset'(input, ctx) {
      const user = await findUserByLogin(ctx.store.db, input.login);
      await ctx.transaction(async (tx) => {
        const row = await tx.insertInto('password_reset_request').values({ login: input.login, user_id: user?.id ?? null, requested_at: ctx.now().toISOString(), note: input.note, resolved_at: null, resolved_by: null }).returning('id').executeTakeFirstOrThrow();
        await ctx.audit(tx, { userId: null, action: 'auth.resetRequest', entity: 'password_reset_request', entityId: row.id, after: { login: input.login, note: input.note } });
      });
      // The same answer whether or not the login exists.
      return { done: true };
    },
  });
}

export function accountHandlers(sessions: SessionStore) {
  async function loadForChange(ctx: HandlerContext, id: number) {
    const user = await findUser(ctx.store.db, id);
    if (!user) throw notFound('Учётная запись не найдена.');
    return user;
  }

  /** The account as the administrator saw it: a change on top of someone else's is a conflict. */
  async function loadCurrent(db: Db, id: number, version: number) {
    const user = await findUser(db, id);
    if (!user) throw notFound('Учётная запись не найдена.');
    if (user.version !== version) {
      throw conflict('Эту учётную запись только что изменил другой администратор. Обновите список и повторите.', { current: toAccount(user, await rolesOf(db, user.id)) });
    }
    return user;
  }

  return defineHandlers({
    async 'accounts.list'(_input, ctx) {
      return listAccounts(ctx.store.db);
    },

    async 'accounts.create'(input, ctx) {
      const passwordHash = await hashPassword(input.temporaryPassword);
      return ctx.transaction(async (tx) => {
        if (await findUserByLogin(tx, input.login)) throw conflict(`Логин «${input.login}» уже занят.`);
        const row = await insertAccount(tx, { login: input.login, fullName: input.fullName, position: input.position, roles: input.roles, passwordHash, mustChangePassword: true, createdAt: ctx.now().toISOString() });
        const account = toAccount(row, [...input.roles].sort() as Role[]);
        await ctx.audit(tx, { action: 'account.create', entity: 'app_user', entityId: row.id, after: { login: account.login, fullName: account.fullName, position: account.position, roles: account.roles } });
        return account;
      });
    },

    async 'accounts.update'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const user = await findUser(tx, input.id);
        if (!user) throw notFound('Учётная запись не найдена.');
        if (user.version !== input.version) {
          throw conflict('Эту учётную запись только что изменил другой администратор. Обновите список и повторите.', { current: toAccount(user, await rolesOf(tx, user.id)) });
        }
        const beforeRoles = await rolesOf(tx, user.id);
        const newRoles = [...new Set(input.roles)].sort() as Role[];
        if (user.id === caller.userId && !newRoles.includes('administrator')) {
          throw conflict('Нельзя снять с себя роль администратора: это сделает другой администратор.');
        }
        await tx.updateTable('app_user').set({ full_name: input.fullName, position: input.position, version: user.version + 1 }).where('id', '=', user.id).execute();
        await setRoles(tx, user.id, newRoles);
        const after = await findUser(tx, user.id);
        await ctx.audit(tx, {
          action: 'account.update',
          entity: 'app_user',
          entityId: user.id,
          before: { fullName: user.full_name, position: user.position, roles: beforeRoles },
          after: { fullName: input.fullName, position: input.position, roles: newRoles },
        });
        return toAccount(after!, newRoles);
      });
    },

    async 'accounts.block'(input, ctx) {
      const caller = ctx.requireCaller();
      const blocked = await ctx.transaction(async (tx) => {
        const user = await loadCurrent(tx, input.id, input.version);
        if (user.id === caller.userId) throw conflict('Свою учётную запись блокирует другой администратор.');
        if (user.active !== 1) throw conflict('Учётная запись уже заблокирована.');
        await tx.updateTable('app_user').set({ active: 0, blocked_reason: input.reason, version: user.version + 1 }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { action: 'account.block', entity: 'app_user', entityId: user.id, before: { active: true }, after: { active: false }, reason: input.reason });
        return toAccount((await findUser(tx, user.id))!, await rolesOf(tx, user.id));
      });
      // A blocked person stops at once, on every PC.
      sessions.closeAllOf(blocked.id);
      return blocked;
    },

    async 'accounts.unblock'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const user = await loadCurrent(tx, input.id, input.version);
        if (user.compromised_at) throw conflict('Учётная запись помечена скомпрометированной и остаётся заблокированной: заведите сотруднику новую учётную запись.');
        if (user.active === 1) throw conflict('Учётная запись не заблокирована.');
        await tx.updateTable('app_user').set({ active: 1, blocked_reason: null, version: user.version + 1 }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { action: 'account.unblock', entity: 'app_user', entityId: user.id, before: { active: false }, after: { active: true }, reason: input.reason });
        return toAccount((await findUser(tx, user.id))!, await rolesOf(tx, user.id));
      });
    },

    async 'accounts.issueTemporaryPassword'(input, ctx) {
      const user = await loadForChange(ctx, input.id);
      const hash = await hashPassword(input.temporaryPassword);
      const now = ctx.now().toISOString();
      const resolved = await ctx.transaction(async (tx) => {
        await tx.updateTable('app_user').set({ password_hash: hash, must_change_password: 1, failed_attempts: 0, locked_until: null, version: user.version + 1 }).where('id', '=', user.id).execute();
        const result = await tx
          .updateTable('password_reset_request')
          .set({ resolved_at: now, resolved_by: ctx.requireCaller().userId })
          .where('resolved_at', 'is', null)
          .where((eb) => eb.or([eb('user_id', '=', user.id), eb('login', '=', user.login)]))
          .executeTakeFirst();
        await ctx.audit(tx, { action: 'account.temporaryPassword', entity: 'app_user', entityId: user.id, after: { resolvedRequests: Number(result.numUpdatedRows) } });
        return Number(result.numUpdatedRows);
      });
      sessions.closeAllOf(user.id);
      return { resolvedRequests: resolved };
    },

    async 'accounts.unlock'(input, ctx) {
      const user = await loadForChange(ctx, input.id);
      await ctx.transaction(async (tx) => {
        await tx.updateTable('app_user').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { action: 'account.unlock', entity: 'app_user', entityId: user.id, before: { lockedUntil: user.locked_until } });
      });
      return { done: true };
    },

    async 'accounts.resetRequests'(input, ctx) {
      let query = ctx.store.db
        .selectFrom('password_reset_request as r')
        .leftJoin('app_user as u', 'u.id', 'r.user_id')
        .leftJoin('app_user as by', 'by.id', 'r.resolved_by')
        .select(['r.id', 'r.login', 'u.full_name as userName', 'r.requested_at', 'r.note', 'r.resolved_at', 'by.full_name as resolvedBy'])
        .orderBy('r.requested_at', 'desc');
      if (!input.includeResolved) query = query.where('r.resolved_at', 'is', null);
      const rows = await query.execute();
      return rows.map((r) => ({ id: r.id, login: r.login, userName: r.userName, requestedAt: r.requested_at, note: r.note, resolvedAt: r.resolved_at, resolvedBy: r.resolvedBy }));
    },

    async 'accounts.reportCompromised'(input, ctx) {
      const user = await loadForChange(ctx, input.id);
      if (user.id === ctx.requireCaller().userId) throw conflict('Свою учётную запись помечает скомпрометированной другой администратор.');
      const reportedAt = new Date(input.reportedAt).toISOString();
      if (reportedAt > ctx.now().toISOString()) throw new AppError('validation', 'Момент сообщения о компрометации не может быть в будущем.');
      await ctx.transaction(async (tx) => {
        await tx.updateTable('app_user').set({ compromised_at: reportedAt, active: 0, version: user.version + 1 }).where('id', '=', user.id).execute();
        await ctx.audit(tx, { action: 'account.compromised', entity: 'app_user', entityId: user.id, before: { compromisedAt: user.compromised_at, active: user.active === 1 }, after: { compromisedAt: reportedAt, active: false }, reason: input.reason });
      });
      sessions.closeAllOf(user.id);
      return { done: true };
    },

    async 'accounts.changesSinceCompromise'(input, ctx) {
      const user = await loadForChange(ctx, input.id);
      if (!user.compromised_at) return { compromisedAt: null, changes: [] };
      const changes = await listAudit(ctx.store.db, { userId: user.id, since: user.compromised_at, limit: 10_000 });
      return { compromisedAt: user.compromised_at, changes: changes.filter((c) => !c.action.startsWith('auth.')) };
    },

    async 'audit.list'(input, ctx) {
      const { classId, subjectId, ...filter } = input;
      const byPlace = classId !== undefined || subjectId !== undefined;
      // A class or subject is known only after the ids are looked up: read further back, then keep `limit`.
      const records = await listAudit(ctx.store.db, byPlace ? { ...filter, limit: Math.min(filter.limit * 20, 20_000) } : filter);
      const places = await auditPlaces(
        ctx.store.db,
        records.map((r) => ({ entity: r.entity, entity_id: r.entityId, before: r.before as AuditedRecord['before'], after: r.after as AuditedRecord['after'] })),
      );
      const placed = records.map((record, index) => ({ record: { ...record, place: placeText(record.entity, places[index] ?? null) || null }, place: places[index] ?? null }));
      return placed
        .filter(({ place }) => !byPlace || (place !== null && (classId === undefined || place.classId === classId) && (subjectId === undefined || place.subjectId === subjectId)))
        .slice(0, filter.limit)
        .map(({ record }) => record);
    },

    async 'audit.verify'(_input, ctx) {
      const pcDir = pcDirOf(ctx.store);
      const verdict = await verifyAudit(ctx.store, { pcDir });
      // A history found whole is anchored again on this PC.
      if (verdict.ok && pcDir) await writeAnchor(pcDir, ctx.store.db, ctx.store.location, ctx.now());
      return verdict;
    },
  });
}
