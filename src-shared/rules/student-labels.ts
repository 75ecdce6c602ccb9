import { ruDate } from './periods';

// How a student is named in lists, the journal grid, reports and on paper: «Фамилия Имя О.»;
// students who would still read alike are told apart by the birth date where the reader may
// see it (152-ФЗ: a subject teacher may not), otherwise by the full patronymic, and where
// even the full names are the same, by a number in the order they came to the school.

export interface NamedStudent {
  id: number;
  surname: string;
  name: string;
  patronymic: string;
  /** Absent or null when unknown or withheld from the reader. */
  birthDate?: string | null;
}

export interface LabelOptions {
  /** The reader may see birth dates (the class teacher, the administration, the medical worker). */
  birthDates: boolean;
}

/** «Иванов Иван П.» */
export function shortStudentName(student: NamedStudent): string {
  const initial = student.patronymic.trim()[0];
  return [student.surname, student.name].filter(Boolean).join(' ') + (initial ? ` ${initial.toUpperCase()}.` : '');
}

function fullStudentName(student: NamedStudent): string {
  return [student.surname, student.name, student.patronymic.trim()].filter(Boolean).join(' ');
}

const key = (text: string) => text.toLowerCase().replace(/ё/g, 'е');

function distinct(values: readonly string[]): boolean {
  return new Set(values.map(key)).size === values.length;
}

/** Each student's label, unique within `students` (the list the reader sees together). */
export function studentLabels(students: readonly NamedStudent[], options: LabelOptions): Map<number, string> {
  const groups = new Map<string, NamedStudent[]>();
  for (const s of students) {
    const k = key(shortStudentName(s));
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const labels = new Map<number, string>();
  for (const group of groups.values()) {
    if (group.length === 1) {
      labels.set(group[0]!.id, shortStudentName(group[0]!));
      continue;
    }
    const birthDates = group.map((s) => s.birthDate ?? '');
    if (options.birthDates && birthDates.every(Boolean) && distinct(birthDates)) {
      for (const s of group) labels.set(s.id, `${shortStudentName(s)}, ${ruDate(s.birthDate!)} г. р.`);
      continue;
    }
    if (distinct(group.map(fullStudentName))) {
      for (const s of group) labels.set(s.id, fullStudentName(s));
      continue;
    }
    // The same full name and no birth date to tell them apart: a number, stable over time.
    const byArrival = [...group].sort((a, b) => a.id - b.id);
    byArrival.forEach((s, i) => labels.set(s.id, `${fullStudentName(s)} (${i + 1})`));
  }
  return labels;
}
