import type { FinalView, LessonView } from '../../src-shared/contract/journal';
import type { LessonRow } from './repository';

// Rows as the contract shows them, and as the audit log keeps them.

/** The columns a lesson's view is made of: the page reads only these. */
export type LessonViewRow = Pick<
  LessonRow,
  'id' | 'load_id' | 'date' | 'lesson_number' | 'topic' | 'material' | 'homework' | 'homework_for' | 'work_types' | 'comment' | 'given_by' | 'substitution' | 'topic_late' | 'homework_late' | 'version'
>;

export function lessonView(row: LessonViewRow, givenByName: string): LessonView {
  return {
    id: row.id,
    loadId: row.load_id,
    date: row.date,
    lessonNumber: row.lesson_number,
    topic: row.topic,
    material: row.material,
    homework: row.homework,
    homeworkFor: row.homework_for,
    workTypeIds: JSON.parse(row.work_types) as number[],
    comment: row.comment,
    givenBy: row.given_by,
    givenByName,
    substitution: row.substitution === 1,
    topicLate: row.topic_late === 1,
    homeworkLate: row.homework_late === 1,
    version: row.version,
  };
}

/** The whole lesson row without its version: enough to put it back (D-44). */
export function lessonSnapshot(row: LessonRow) {
  const { version: _version, ...rest } = row;
  return rest;
}

export interface FinalRow {
  id: number;
  student_id: number;
  kind: string;
  period_id: number | null;
  value: string;
  suggested: string;
  deferred: number;
  version: number;
}

export function finalView(row: FinalRow): FinalView {
  return {
    id: row.id,
    studentId: row.student_id,
    kind: row.kind as FinalView['kind'],
    periodId: row.period_id,
    value: row.value,
    suggested: row.suggested,
    deferred: row.deferred === 1,
    version: row.version,
  };
}

export const finalSnapshot = (row: FinalRow) => ({ finalId: row.id, value: row.value, deferred: row.deferred === 1, suggested: row.suggested });

