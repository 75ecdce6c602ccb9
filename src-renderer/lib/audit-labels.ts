import { roleTitles, type Role } from '../../src-shared/roles';
import { attendanceTitles, type AttendanceCode } from '../../src-shared/rules/attendance';
import { journalActionTitles } from '../../src-shared/rules/journal-actions';
import { markScaleTitles, type MarkScale } from '../../src-shared/rules/marks';
import { absenceReasonTitles, substitutionKindTitles, type AbsenceReason, type SubstitutionKind } from '../../src-shared/rules/substitutions';
import { formatInstant } from './time';

// How the «Журнал изменений» names what happened. Each domain adds its own actions,
// entities and fields here; anything unknown is shown by its code.

export const auditActionTitles: Record<string, string> = {
  'school.create': 'Создана школа',
  'account.create': 'Создана учётная запись',
  'account.update': 'Изменена учётная запись',
  'account.temporaryPassword': 'Выдан временный пароль',
  'account.unlock': 'Снята блокировка входа',
  'account.block': 'Учётная запись заблокирована',
  'account.unblock': 'Учётная запись разблокирована',
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
  'staff.consent.add': 'Зарегистрировано согласие сотрудника на обработку данных',
  'staff.consent.withdraw': 'Отозвано согласие сотрудника на обработку данных',
  'parent.add': 'Добавлены сведения о родителе',
  'parent.update': 'Исправлены сведения о родителе',
  'parent.remove': 'Удалены сведения о родителе',
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
  // The journal's own actions, named as in a cell's history.
  ...journalActionTitles,
  'journal.revertCompromised': 'Отменены изменения скомпрометированной записи',
  'attendance.resolveDay': 'Причина пропусков за день',
  // Paper for parents.
  'print.student_extract': 'Напечатан отчёт об успеваемости для родителей',
  'print.results_letter': 'Напечатано письмо об итогах',
  'extracts.acknowledge': 'Отмечен возвращённый талон',
  'extracts.unacknowledge': 'Снята отметка о возвращённом талоне',
  'extracts.council': 'Решения педагогического совета',
  // Plans, substitutions, control works.
  'plan.save': 'Изменено КТП',
  'plan.correct': 'Исправлено утверждённое КТП',
  'plan.import': 'КТП загружено из файла',
  'plan.copy': 'КТП скопировано',
  'plan.submit': 'КТП отправлено на проверку',
  'plan.approve': 'КТП утверждено',
  'plan.return': 'КТП возвращено на доработку',
  'substitution.assign': 'Назначена замена',
  'substitution.remove': 'Замена отменена',
  'transfer.add': 'Урок перенесён',
  'transfer.remove': 'Перенос урока отменён',
  'controlWork.plan': 'Контрольная работа в графике',
  'controlWork.move': 'Контрольная работа перенесена',
  'controlWork.remove': 'Контрольная работа убрана из графика',
  'controlWork.settings': 'Изменены нормы контрольных работ',
  'print.settings': 'Изменены настройки печати',
  // Backups and the school's keys.
  'backup.run': 'Резервная копия',
  'backup.restore': 'Восстановление из копии',
  'backup.exportYear': 'Архив учебного года',
  'backup.settings.update': 'Изменены настройки резервного копирования',
  'backup.password.set': 'Задан пароль резервных копий',
  'backup.signingKey.create': 'Создан ключ подписи копий',
  'audit.key.shown': 'Показана фраза ключа журнала изменений',
  'audit.key.entered': 'Ключ журнала изменений введён на этом компьютере',
  'demo.create': 'Создана демонстрационная школа',
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
  lesson: 'Урок',
  mark: 'Отметка',
  attendance: 'Посещаемость',
  final_mark: 'Итоговая отметка',
  change_request: 'Запрос на изменение',
  period_lock: 'Закрытие периода',
  extract_print: 'Отчёт для родителей',
  plan: 'КТП',
  substitution: 'Замена',
  lesson_transfer: 'Перенос урока',
  control_work: 'Контрольная работа',
  backup: 'Резервная копия',
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
  // The journal's records.
  value: 'Отметка',
  code: 'Посещаемость',
  weight: 'Вес',
  comment: 'Комментарий',
  makeUp: 'Отработка',
  make_up: 'Отработка',
  workTypeId: 'Вид работы',
  work_type_id: 'Вид работы',
  work_types: 'Виды работ',
  workTypeIds: 'Виды работ',
  date: 'Дата',
  lesson_number: 'Номер урока',
  lessonNumber: 'Номер урока',
  topic: 'Тема',
  material: 'Пройдено',
  homework: 'Домашнее задание',
  homework_for: 'Задано на',
  homeworkFor: 'Задано на',
  deferred: 'Отложена',
  locked: 'Закрыт',
  automatic: 'Автоматически',
  status: 'Состояние',
  deleted: 'Удалено',
  changed: 'Изменено',
  reverted: 'Отменено',
  skipped: 'Оставлено',
  // Work types and the school's settings.
  markDueDays: 'Срок проверки, дней',
  sortOrder: 'Порядок в списке',
  sessionInactivityMinutes: 'Выход без действий через, мин',
  loginMaxFailures: 'Неудачных входов до блокировки',
  loginLockMinutes: 'Блокировка входа, мин',
  markScale: 'Шкала отметок',
  specialMarks: 'Специальные отметки',
  averageDecimals: 'Знаков в среднем балле',
  finalRoundingThreshold: 'Порог округления итоговой',
  editWindowDays: 'Исправления в течение, дней',
  // A lesson's record.
  substitution: 'Замена',
  topic_entered_at: 'Тема записана',
  homework_entered_at: 'Задание записано',
  topic_late: 'Тема записана с опозданием',
  homework_late: 'Задание записано с опозданием',
  // Plans, substitutions, transfers, control works.
  hours: 'Часов по КТП',
  curriculumHours: 'Часов по учебному плану',
  hoursNote: 'Пояснение о часах',
  rows: 'Строк',
  source: 'Откуда',
  subjectName: 'Предмет',
  subgroupName: 'Подгруппа',
  teacherName: 'Учитель',
  absentTeacherName: 'Отсутствует',
  substituteName: 'Заменяет',
  kind: 'Вид замены',
  orderNumber: 'Приказ',
  targetSubjectName: 'Вместо предмета',
  removedAt: 'Отменена',
  removedByName: 'Кем отменена',
  removedReason: 'Причина отмены',
  fromDate: 'С даты',
  fromLessonNumber: 'С урока',
  toDate: 'На дату',
  toLessonNumber: 'На урок',
  room: 'Кабинет',
  title: 'Работа',
  plannedDate: 'Дата по графику',
  correctionReason: 'Причина переноса',
  perDay: 'Не больше в день',
  perWeek: 'Не больше в неделю',
  dueDaysByGrade: 'Срок проверки по классам, дней',
  bindingMarginMm: 'Поле для подшивки, мм',
  duplex: 'Двусторонняя печать',
  journalCaseIndex: 'Индекс дела журналов',
  summaryCaseIndex: 'Индекс дела сводных ведомостей',
  // Backups.
  schedule: 'Расписание',
  driveLabel: 'Флешка',
  secondFolder: 'Вторая папка',
  retention: 'Хранить копий',
  trigger: 'Запуск',
  results: 'Куда записана',
  destination: 'Куда',
  error: 'Ошибка',
  file: 'Файл',
  otherSchool: 'Копия другой школы',
  fingerprint: 'Отпечаток ключа',
  folder: 'Папка',
  files: 'Файлов',
  yearClosed: 'Год закрыт',
  // The demo school.
  years: 'Учебных лет',
  today: 'Дата «сегодня» в демо',
};

/** Internal keys a person has no use for: row numbers, versions, links between tables. */
const hiddenFields = new Set(['id', 'version', 'finalId', 'load_id', 'loadId', 'lesson_id', 'lessonId', 'student_id', 'studentId', 'given_by', 'givenBy', 'created_at', 'updated_at', 'updated_by', 'suggested', 'revertedAuditIds', 'skippedAudit', 'upToAuditId', 'idempotencyKey', 'period_id', 'periodId', 'target', 'markId', 'mark_id', 'createdAt', 'createdBy', 'created_by', 'updatedAt', 'updatedBy', 'plan_row_id', 'absentTeacherId', 'substituteId', 'targetLoadId', 'classId', 'needsAttention', 'seed', 'counts']);

/** Flags the database keeps as 0/1. */
const yesNoFields = new Set(['deferred', 'make_up', 'makeUp', 'locked', 'automatic', 'deleted', 'no_marks', 'substitution', 'topic_late', 'homework_late', 'duplex', 'yearClosed']);

/** Codes a field keeps, in the words the screens use. */
const valueTitles: Record<string, Record<string, string>> = {
  markScale: markScaleTitles satisfies Record<MarkScale, string>,
  kind: substitutionKindTitles satisfies Record<SubstitutionKind, string>,
  reason: absenceReasonTitles satisfies Record<AbsenceReason, string>,
  status: { draft: 'черновик', review: 'на проверке', approved: 'утверждено', ok: 'записана', failed: 'не удалась', skipped: 'пропущена' },
  trigger: { manual: 'вручную', schedule: 'по расписанию', 'catch-up': 'пропущенная по расписанию', cli: 'из командной строки' },
};

/** Names for ids met in records (work types); the page fills it from the school's settings. */
export const auditNames = { workTypes: new Map<number, string>(), timeZone: 'Europe/Moscow' };

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'roles' && Array.isArray(value)) return value.map((role) => roleTitles[role as Role] ?? String(role)).join(', ');
  if (key === 'active' && typeof value === 'boolean') return value ? 'разрешён' : 'закрыт';
  if ((key === 'workTypeId' || key === 'work_type_id') && typeof value === 'number') return auditNames.workTypes.get(value) ?? 'вид работы';
  if (key === 'work_types' || key === 'workTypeIds') {
    const ids = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    return Array.isArray(ids) && ids.length > 0 ? ids.map((typeId) => auditNames.workTypes.get(Number(typeId)) ?? 'вид работы').join(', ') : '—';
  }
  if (typeof value === 'string' && valueTitles[key]?.[value] !== undefined) return valueTitles[key][value];
  if (key === 'code' && typeof value === 'string' && value in attendanceTitles) return `${value} (${attendanceTitles[value as AttendanceCode]})`;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value).replace('.', ',');
  if (typeof value === 'boolean' || (yesNoFields.has(key) && (value === 0 || value === 1))) return value === true || value === 1 ? 'да' : 'нет';
  if (typeof value === 'string' && isoInstant.test(value)) return formatInstant(value, auditNames.timeZone);
  if (typeof value === 'string' && isoDay.test(value)) return `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}`;
  if (Array.isArray(value)) return value.map((item) => formatValue('', item)).join(', ');
  if (typeof value === 'object') {
    // A nested record: its fields in words, internals left out — never raw JSON.
    return Object.entries(value as Record<string, unknown>)
      .filter(([name]) => !hiddenFields.has(name))
      .map(([name, item]) => `${auditFieldTitles[name] ?? name}: ${formatValue(name, item)}`)
      .join('; ');
  }
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
    if (hiddenFields.has(key)) continue;
    const beforeText = was && key in was ? formatValue(key, was[key]) : undefined;
    const afterText = now && key in now ? formatValue(key, now[key]) : undefined;
    if (beforeText !== undefined && afterText !== undefined && beforeText === afterText) continue;
    changes.push({ field: auditFieldTitles[key] ?? key, before: beforeText, after: afterText });
  }
  return changes;
}
