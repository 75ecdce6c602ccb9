import { z } from 'zod';
import { roles } from '../roles';
import { command, query } from './define';
import { done, empty, id, isoInstant, login, newPassword, requiredText, text } from './common';

export const account = z.object({
  id,
  login: z.string(),
  fullName: z.string(),
  position: z.string(),
  roles: z.array(z.enum(roles)),
  active: z.boolean(),
  /** Why an administrator blocked the account (absent while it is not blocked). */
  blockedReason: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  compromisedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Account = z.infer<typeof account>;

const roleList = z.array(z.enum(roles)).min(1, 'Выберите хотя бы одну роль').max(roles.length);

export const auditRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  /** Where a journal change was: «5А · Математика · 12.11.2026 · Иванов Иван». */
  place: z.string().nullable().optional(),
});
export type AuditRecord = z.infer<typeof auditRecord>;

/** Whether this PC holds the school's audit key (src-main/audit/key.ts). */
export const auditKeyStatus = z.object({ schoolHasKey: z.boolean(), onThisPc: z.boolean(), canHold: z.boolean() });
export type AuditKeyStatus = z.output<typeof auditKeyStatus>;

export const accountsContract = {
  'accounts.list': query('accounts.manage', empty, z.array(account), 'Учётные записи сотрудников'),
  'accounts.create': command(
    'accounts.manage',
    z.object({
      login,
      fullName: requiredText(200, 'ФИО', 'Укажите ФИО'),
      position: text(200).default(''),
      roles: roleList,
      temporaryPassword: newPassword,
    }),
    account,
    'Создать учётную запись с временным паролем',
  ),
  'accounts.update': command(
    'accounts.manage',
    z.object({
      id,
      version: z.number().int(),
      fullName: requiredText(200, 'ФИО', 'Укажите ФИО'),
      position: text(200),
      roles: roleList,
    }),
    account,
    'Изменить ФИО, должность, роли',
  ),
  'accounts.block': command(
    'accounts.manage',
    z.object({ id, version: z.number().int(), reason: requiredText(500, 'Причина', 'Укажите причину блокировки') }),
    account,
    'Заблокировать вход сотрудника, с причиной',
  ),
  'accounts.unblock': command(
    'accounts.manage',
    z.object({ id, version: z.number().int(), reason: requiredText(500, 'Причина', 'Укажите причину разблокировки') }),
    account,
    'Разблокировать вход сотрудника, с причиной',
  ),
  'accounts.issueTemporaryPassword': command(
    'accounts.manage',
    z.object({ id, temporaryPassword: newPassword }),
    z.object({ resolvedRequests: z.number().int() }),
    'Выдать временный пароль (закрывает заявки)',
  ),
  'accounts.unlock': command('accounts.manage', z.object({ id }), done, 'Снять блокировку после неудачных входов'),
  'accounts.resetRequests': query(
    'accounts.manage',
    z.object({ includeResolved: z.boolean().default(false) }),
    z.array(
      z.object({
        id,
        login: z.string(),
        userName: z.string().nullable(),
        requestedAt: z.string(),
        note: z.string(),
        resolvedAt: z.string().nullable(),
        resolvedBy: z.string().nullable(),
      }),
    ),
    'Журнал заявок на восстановление пароля',
  ),
  'accounts.reportCompromised': command(
    'accounts.manage',
    z.object({ id, reportedAt: isoInstant, reason: requiredText(1000, 'Основание', 'Укажите основание') }),
    done,
    'Учётная запись скомпрометирована: блокировка с момента сообщения',
  ),
  'accounts.changesSinceCompromise': query(
    'accounts.manage',
    z.object({ id }),
    z.object({ compromisedAt: z.string().nullable(), changes: z.array(auditRecord) }),
    'Изменения, сделанные скомпрометированной записью после сообщения',
  ),
  'audit.list': query(
    'audit.read',
    z.object({
      entity: text(64).optional(),
      entityId: text(64).optional(),
      userId: id.optional(),
      /** Journal changes of one class or one subject (lessons, marks, attendance, finals). */
      classId: id.optional(),
      subjectId: id.optional(),
      since: isoInstant.optional(),
      /** Up to, not including. */
      until: isoInstant.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    z.array(auditRecord),
    'Журнал изменений (кто, когда, что, было → стало, причина)',
  ),
  'audit.verify': query(
    'audit.read',
    empty,
    z.object({
      ok: z.boolean(),
      checked: z.number().int(),
      firstBroken: z.object({ id: z.number().int(), reason: z.string() }).optional(),
      /** False: this PC holds no audit key of the school, so the records' keying was not checked. */
      keyChecked: z.boolean(),
      anchorsCompared: z.number().int(),
      /** Records missing or rewritten since an anchor; marks, attendance, lessons that differ from the history. */
      findings: z.array(z.string()),
    }),
    'Проверить целостность цепочки журнала изменений',
  ),
  'audit.keyStatus': query('public', empty, auditKeyStatus, 'Есть ли на этом компьютере ключ журнала изменений школы'),
  'audit.keyPhrase': command(
    'pc.manage',
    empty,
    z.object({ schoolName: z.string(), phrase: z.string(), keyFile: z.string() }),
    'Показать фразу ключа журнала изменений (для листка в сейф и других компьютеров школы)',
  ),
  // Public: the phrase itself is the authority (whoever holds it holds the key), and it must
  // be entered before anyone signs in on a new PC, or that sign-in is recorded unkeyed.
  'audit.keyEnter': command(
    'public',
    z.object({ phrase: requiredText(4000, 'Фраза ключа', 'Введите фразу ключа') }),
    auditKeyStatus,
    'Ввести ключ журнала изменений школы на этом компьютере (фраза с листка или файл ключа)',
  ),
};
