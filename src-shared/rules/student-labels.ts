import { russianDate } from './dates';

// How a student is named in lists, the journal grid, reports and on paper. On screen
// «Фамилия Имя», on paper «Фамилия Имя О.»; namesakes are told apart by the patronymic's
// initial, then by the birth date where the reader may see it (152-ФЗ: a subject teacher may
// not), otherwise by the full patronymic, and where even the full names are the same, by a
// number in the order they came to the school.

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
  /** «always»: every name carries the patronymic's initial (paper); otherwise only namesakes' do. */
  initials?: 'always' | 'namesakes';
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

const plainName = (student: NamedStudent) => [student.surname, student.name].filter(Boolean).join(' ');

function groupBy(students: readonly NamedStudent[], nameOf: (s: NamedStudent) => string): NamedStudent[][] {
  const groups = new Map<string, NamedStudent[]>();
  for (const s of students) {
    const k = key(nameOf(s));
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return [...groups.values()];
}

/** Namesakes whose short names are the same: birth date, else full name, else a number. */
function apart(group: readonly NamedStudent[], options: LabelOptions, labels: Map<number, string>) {
  const birthDates = group.map((s) => s.birthDate ?? '');
  if (options.birthDates && birthDates.every(Boolean) && distinct(birthDates)) {
    for (const s of group) labels.set(s.id, `${shortStudentName(s)}, ${russianDate(s.birthDate!)} г. р.`);
  } else if (distinct(group.map(fullStudentName))) {
    for (const s of group) labels.set(s.id, fullStudentName(s));
  } else {
    // The same full name and no birth date to tell them apart: a number, stable over time.
    [...group].sort((a, b) => a.id - b.id).forEach((s, i) => labels.set(s.id, `${fullStudentName(s)} (${i + 1})`));
  }
}

/** Each student's label, unique within `students` (the list the reader sees together). */
export function studentLabels(students: readonly NamedStudent[], options: LabelOptions): Map<number, string> {
  const labels = new Map<number, string>();
  const first = options.initials === 'always' ? shortStudentName : plainName;
  for (const group of groupBy(students, first)) {
    if (group.length === 1) {
      labels.set(group[0]!.id, first(group[0]!));
      continue;
    }
    for (const namesakes of groupBy(group, shortStudentName)) {
      if (namesakes.length === 1) labels.set(namesakes[0]!.id, shortStudentName(namesakes[0]!));
      else apart(namesakes, options, labels);
    }
  }
  return labels;
}
