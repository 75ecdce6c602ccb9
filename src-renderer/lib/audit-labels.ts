import { roleTitles, type Role } from '../../src-shared/roles';

// How the «Журнал изменений» names what happened. Each domain adds its own actions,
// entities and fields here; anything unknown is shown by its code.

export const auditActionTitles: Record<string, string> = {
  'school.create': 'Создана школа',
  'account.create': 'Создана учётная запись',
  'account.update': 'Изменена учётная запись',
  'account.temporaryPassword': 'Выдан временный пароль',
  'account.unlock': 'Снята блокировка входа',
  'account.compromised': 'Учётная запись отмечена скомпрометированной',
  'auth.login': 'Вход',
  'auth.failure': 'Неудачный вход',
  'auth.lockout': 'Блокировка после неудачных входов',
  'auth.changePassword': 'Смена пароля',
  'auth.resetRequest': 'Заявка на новый пароль',
};

export const auditEntityTitles: Record<string, string> = {
  school: 'Школа',
  app_user: 'Учётная запись',
  password_reset_request: 'Заявка на пароль',
};

export const auditFieldTitles: Record<string, string> = {
  name: 'Название',
  timeZone: 'Часовой пояс',
  login: 'Логин',
  fullName: 'ФИО',
  position: 'Должность',
  roles: 'Роли',
  active: 'Доступ',
  lockedUntil: 'Заблокирована до',
  failures: 'Неудачных попыток',
  compromisedAt: 'Скомпрометирована с',
  resolvedRequests: 'Закрыто заявок',
  note: 'Комментарий',
};

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'roles' && Array.isArray(value)) return value.map((role) => roleTitles[role as Role] ?? String(role)).join(', ');
  if (key === 'active' && typeof value === 'boolean') return value ? 'разрешён' : 'закрыт';
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface AuditChange {
  field: string;
  before?: string;
  after?: string;
}

/** «было → стало» per field; a field that did not change is left out. */
export function describeAuditChange(before: unknown, after: unknown): AuditChange[] {
  const asRecord = (value: unknown): Record<string, unknown> | null =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const was = asRecord(before);
  const now = asRecord(after);
  if (!was && !now) {
    if (before === null && after === null) return [];
    return [{ field: 'Значение', before: before === null ? undefined : formatValue('', before), after: after === null ? undefined : formatValue('', after) }];
  }
  const keys = [...new Set([...Object.keys(was ?? {}), ...Object.keys(now ?? {})])];
  const changes: AuditChange[] = [];
  for (const key of keys) {
    const beforeText = was && key in was ? formatValue(key, was[key]) : undefined;
    const afterText = now && key in now ? formatValue(key, now[key]) : undefined;
    if (beforeText !== undefined && afterText !== undefined && beforeText === afterText) continue;
    changes.push({ field: auditFieldTitles[key] ?? key, before: beforeText, after: afterText });
  }
  return changes;
}
