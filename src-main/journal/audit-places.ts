import { russianDate } from '../../src-shared/rules/dates';
import { finalKindTitles } from '../../src-shared/contract/journal';
import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';

// Where a journal change was, as a deputy reads the paper journal: class · subject · lesson
// date · student. Audit records name cells by ids («lessonId:studentId»); this looks the ids
// up in one pass for a whole list of records.

type Json = Record<string, unknown> | null;

export interface AuditedRecord {
  entity: string;
  entity_id: string | null;
  before: Json;
  after: Json;
}

export interface AuditPlace {
  classId: number | null;
  subjectId: number | null;
  /** «5А · Математика (1 группа)», or null when the lesson is gone. */
  load: string | null;
  /** 'YYYY-MM-DD' of the lesson. */
  lessonDate: string | null;
  /** «Иванов Иван». */
  student: string | null;
  /** For a final mark: «итоговая за I четверть», «годовая отметка». */
  finalWhat: string | null;
  lessonDeleted: boolean;
}

/** The place of each record (null for records that are not about a lesson, mark or final). */
export async function auditPlaces(db: Db, records: readonly AuditedRecord[]): Promise<(AuditPlace | null)[]> {
  const lessonIds = new Set<number>();
  const studentIds = new Set<number>();
  const loadIds = new Set<number>();
  const periodIds = new Set<number>();
  for (const r of records) {
    const parts = (r.entity_id ?? '').split(':').map(Number);
    if (r.entity === 'mark' || r.entity === 'attendance') {
      lessonIds.add(parts[0]!);
      studentIds.add(parts[1]!);
    } else if (r.entity === 'final_mark') {
      loadIds.add(parts[0]!);
      studentIds.add(parts[1]!);
      const period = (r.entity_id ?? '').split(':')[3];
      if (period) periodIds.add(Number(period));
    } else if (r.entity === 'lesson') {
      lessonIds.add(parts[0]!);
      const snapshot = r.after ?? r.before;
      if (typeof snapshot?.load_id === 'number') loadIds.add(snapshot.load_id);
    }
  }
  const valid = (ids: Set<number>) => [...ids].filter((v) => Number.isInteger(v) && v > 0);
  const lessons = valid(lessonIds).length ? await db.selectFrom('lesson').select(['id', 'load_id', 'date']).where('id', 'in', valid(lessonIds)).execute() : [];
  for (const lesson of lessons) loadIds.add(lesson.load_id);
  const [loads, students, periods] = await Promise.all([
    valid(loadIds).length
      ? loadContextQuery(db).where('tl.id', 'in', valid(loadIds)).execute()
      : Promise.resolve([]),
    valid(studentIds).length ? db.selectFrom('student').select(['id', 'surname', 'name']).where('id', 'in', valid(studentIds)).execute() : Promise.resolve([]),
    valid(periodIds).length ? db.selectFrom('study_period').select(['id', 'name']).where('id', 'in', valid(periodIds)).execute() : Promise.resolve([]),
  ]);
  const lessonOf = new Map(lessons.map((l) => [l.id, l]));
  const loadOf = new Map(loads.map((l) => [l.id, { classId: l.class_id, subjectId: l.subject_id, text: `${l.class_name} · ${l.subject_name}${l.subgroup_name ? ` (${l.subgroup_name})` : ''}` }]));
  const studentOf = new Map(students.map((s) => [s.id, `${s.surname} ${s.name}`]));
  const periodOf = new Map(periods.map((p) => [p.id, p.name]));

  const place = (loadId: number | null, rest: Partial<AuditPlace>): AuditPlace => {
    const load = loadId === null ? undefined : loadOf.get(loadId);
    return { classId: load?.classId ?? null, subjectId: load?.subjectId ?? null, load: load?.text ?? null, lessonDate: null, student: null, finalWhat: null, lessonDeleted: false, ...rest };
  };

  return records.map((r) => {
    const parts = (r.entity_id ?? '').split(':');
    if (r.entity === 'mark' || r.entity === 'attendance') {
      const lesson = lessonOf.get(Number(parts[0]));
      return place(lesson?.load_id ?? null, { lessonDate: lesson?.date ?? null, student: studentOf.get(Number(parts[1])) ?? null, lessonDeleted: !lesson });
    }
    if (r.entity === 'final_mark') {
      const kind = parts[2] as keyof typeof finalKindTitles;
      const finalWhat = kind === 'period' ? `итоговая за ${periodOf.get(Number(parts[3])) ?? 'период'}` : `${finalKindTitles[kind] ?? 'итоговая'} отметка`;
      return place(Number(parts[0]), { student: studentOf.get(Number(parts[1])) ?? null, finalWhat });
    }
    if (r.entity === 'lesson') {
      const snapshot = r.after ?? r.before;
      const lesson = lessonOf.get(Number(r.entity_id));
      const loadId = lesson?.load_id ?? (typeof snapshot?.load_id === 'number' ? snapshot.load_id : 0);
      const date = lesson?.date ?? (typeof snapshot?.date === 'string' ? snapshot.date : null);
      return place(loadId, { lessonDate: date });
    }
    return null;
  });
}

/** One line: «5А · Математика · 12.11.2026 · Иванов Иван». */
export function placeText(entity: string, place: AuditPlace | null): string {
  if (!place) return '';
  const join = (...items: (string | undefined | null)[]) => items.filter(Boolean).join(' · ');
  if (entity === 'mark' || entity === 'attendance') return join(place.lessonDeleted ? 'урок удалён' : place.load, place.lessonDate ? russianDate(place.lessonDate) : null, place.student);
  if (entity === 'final_mark') return join(place.load, place.student, place.finalWhat);
  if (entity === 'lesson') return join(place.load, place.lessonDate ? `урок ${russianDate(place.lessonDate)}` : null);
  return '';
}
