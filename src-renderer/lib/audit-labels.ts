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
  // School setup (D-10 … D-14, D-20 … D-22, D-45).
  'year.create': 'Создан учебный год',
  'year.update': 'Изменён учебный год',
  'year.close': 'Учебный год закрыт',
  'year.transition': 'Перевод в следующий класс',
  'period.add': 'Добавлены учебные периоды',
  'period.update': 'Изменён учебный период',
  'period.remove': 'Удалён учебный период',
  'holiday.add': 'Добавлены каникулы',
  'holiday.remove': 'Удалены каникулы',
  'subject.create': 'Добавлен предмет',
  'subject.update': 'Изменён предмет',
  'curriculum.set': 'Изменён учебный план',
  'class.create': 'Создан класс',
  'class.update': 'Изменён класс',
  'student.create': 'Зачислен ученик',
  'student.update': 'Изменены данные ученика',
  'student.depart': 'Выбытие ученика',
  'student.transfer': 'Перевод ученика в другой класс',
  'consent.add': 'Зарегистрировано согласие на обработку данных',
  'consent.withdraw': 'Отозвано согласие на обработку данных',
  'consent.destroy': 'Согласия уничтожены, составлен акт',
  'subgroup.create': 'Создана подгруппа',
  'subgroup.addMembers': 'Ученики включены в подгруппу',
  'subgroup.move': 'Перевод ученика в другую подгруппу',
  'load.create': 'Назначена нагрузка',
  'load.update': 'Изменена нагрузка',
  'load.remove': 'Снята нагрузка',
  'bells.set': 'Изменено расписание звонков',
  'timetable.add': 'Урок поставлен в расписание',
  'timetable.end': 'Урок в расписании завершён',
  'timetable.remove': 'Урок убран из расписания',
  'settings.update': 'Изменены настройки школы',
  'workType.create': 'Добавлен вид работы',
  'workType.update': 'Изменён вид работы',
  'workTypes.seed': 'Созданы виды работ по умолчанию',
  'import.apply': 'Импорт из файла',
};

export const auditEntityTitles: Record<string, string> = {
  school: 'Школа',
  app_user: 'Учётная запись',
  password_reset_request: 'Заявка на пароль',
  academic_year: 'Учебный год',
  study_period: 'Учебный период',
  holiday: 'Каникулы',
  subject: 'Предмет',
  school_class: 'Класс',
  student: 'Ученик',
  subgroup: 'Подгруппа',
  teaching_load: 'Нагрузка',
  bell: 'Звонки',
  timetable_entry: 'Расписание',
  work_type: 'Вид работы',
  school_setting: 'Настройки школы',
  consent_destruction_act: 'Акт уничтожения согласий',
  import: 'Импорт',
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
  startsOn: 'Начало',
  endsOn: 'Окончание',
  closedAt: 'Закрыт',
  className: 'Класс',
  departedOn: 'Дата выбытия',
  departureOrder: 'Приказ о выбытии',
  yearCreated: 'Год создан при переводе',
  order: 'Приказ',
  classes: 'Классов',
  students: 'Учеников',
  graduates: 'Выпускников',
  loads: 'Нагрузок перенесено',
  consentActs: 'Актов уничтожения согласий',
  number: 'Номер',
  drawnUpOn: 'Дата акта',
  studentName: 'Ученик',
  reason: 'Основание',
  consents: 'Согласий',
  givenBy: 'Кем дано',
  giverName: 'Кто дал',
  givenOn: 'Дата согласия',
  withdrawnOn: 'Дата отзыва',
  destroyedOn: 'Уничтожено',
  changeRequestId: 'По запросу №',
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
