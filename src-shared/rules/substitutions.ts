// Substitutions (002 §7A.4, §7A.10): kinds, reasons and the monthly sheet's columns.
// The sheet's columns are defined once here and drive the screen, the PDF and the XLSX.

export const substitutionKinds = ['subject', 'ownSubject', 'merge', 'cancelled'] as const;
export type SubstitutionKind = (typeof substitutionKinds)[number];

export const substitutionKindTitles: Record<SubstitutionKind, string> = {
  subject: 'замена по предмету',
  ownSubject: 'замена с проведением своего предмета',
  merge: 'объединение классов/групп',
  cancelled: 'урок отменён',
};

export const absenceReasons = ['illness', 'courses', 'trip', 'other'] as const;
export type AbsenceReason = (typeof absenceReasons)[number];

export const absenceReasonTitles: Record<AbsenceReason, string> = {
  illness: 'болезнь',
  courses: 'курсы',
  trip: 'командировка',
  other: 'другое',
};

/** Kinds in which the substitute writes into the absent teacher's page. */
export const writesAbsentTeachersPage = (kind: SubstitutionKind): boolean => kind === 'subject' || kind === 'merge';

/** One teacher's month: hours given in substitution by kind, hours they missed. */
export interface SheetRow {
  teacherId: number;
  teacherName: string;
  subject: number;
  ownSubject: number;
  merge: number;
  /** Lessons of this teacher that others covered or that were cancelled. */
  missed: number;
  /** Of the missed: cancelled. */
  cancelled: number;
}

export interface SheetColumn {
  title: string;
  /** Relative width for the PDF and the XLSX. */
  width: number;
  value(row: SheetRow): string | number;
  numeric: boolean;
}

export const sheetColumns: readonly SheetColumn[] = [
  { title: 'ФИО учителя', width: 4, value: (r) => r.teacherName, numeric: false },
  { title: 'Замена по предмету, ч', width: 1.4, value: (r) => r.subject, numeric: true },
  { title: 'С проведением своего предмета, ч', width: 1.4, value: (r) => r.ownSubject, numeric: true },
  { title: 'Объединение классов/групп, ч', width: 1.4, value: (r) => r.merge, numeric: true },
  { title: 'Всего заменено, ч', width: 1.2, value: (r) => r.subject + r.ownSubject + r.merge, numeric: true },
  { title: 'Пропущено уроков, ч', width: 1.2, value: (r) => r.missed, numeric: true },
  { title: 'Из них отменено', width: 1.1, value: (r) => r.cancelled, numeric: true },
];

const monthNames = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** '2026-10' → 'октябрь 2026 г.' */
export function monthTitle(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return `${monthNames[(number ?? 1) - 1]} ${year} г.`;
}

/** The sheet's title line, the same on screen, in the PDF and in the XLSX. */
export function sheetTitle(month: string): string {
  return `Табель учёта замещённых уроков за ${monthTitle(month)}`;
}

/** First and last day of 'YYYY-MM'. */
export function monthRange(month: string): { from: string; to: string } {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** «Петрова Анна Викторовна» → «Петрова А. В.» */
export function shortPersonName(fullName: string): string {
  const [surname, ...rest] = fullName.split(/\s+/);
  return [surname, ...rest.map((part) => `${part[0] ?? ''}.`)].join(' ');
}

/** School limits for control works and the days allowed to mark them (002 §2.11, 003 §3.1.1). */
export interface ControlWorkSettings {
  perDay: number;
  perWeek: number;
  /** Days to mark a written work, by grade 0…12 (index = grade). */
  dueDaysByGrade: number[];
}

export const defaultControlWorkSettings: ControlWorkSettings = {
  perDay: 1,
  perWeek: 3,
  dueDaysByGrade: Array.from({ length: 13 }, (_, grade) => (grade >= 11 ? 4 : 3)),
};
