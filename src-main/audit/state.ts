import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';
import { russianDate } from '../../src-shared/rules/dates';

/**
 * Does the journal say what its history says (D-26)? Every change the app makes to a mark,
 * an attendance code or a lesson appends a record with the value after it; the newest
 * record of each cell or lesson must match the row as it is. A row changed, added or
 * deleted behind the app's back (a direct `UPDATE mark` on the file or the server) does not.
 *
 * Rows the history holds nothing about (made in bulk — the demo school, a restore) can only
 * be checked for being untouched since they were made (version 1).
 */

const MAX_FINDINGS = 20;
const BATCH = 5000;

interface Latest {
  id: number;
  action: string;
  after: Record<string, unknown> | null;
}

async function latestRecords(db: Db, entity: string): Promise<Map<string, Latest>> {
  const newest = db.selectFrom('audit_log').select((eb) => ['entity_id', eb.fn.max('id').as('id')]).where('entity', '=', entity).groupBy('entity_id').as('newest');
  const rows = await db
    .selectFrom('audit_log as a')
    .innerJoin(newest, 'newest.id', 'a.id')
    .select(['a.id', 'a.entity_id', 'a.action', 'a.after_json'])
    .execute();
  const latest = new Map<string, Latest>();
  for (const row of rows) {
    if (row.entity_id === null) continue;
    let after: Record<string, unknown> | null = null;
    try {
      after = row.after_json ? (JSON.parse(row.after_json) as Record<string, unknown>) : null;
    } catch {
      after = null;
    }
    latest.set(row.entity_id, { id: row.id, action: row.action, after });
  }
  return latest;
}

const parsed = (json: string | null): Record<string, unknown> | null => {
  try {
    return json ? (JSON.parse(json) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * A cell may hold several marks (one per work type), all recorded under the cell's key: its
 * history replayed, the newest record of each mark (by the mark id the records carry).
 */
async function markRecordsOfCell(db: Db, cell: string): Promise<Map<number, Latest>> {
  const rows = await db.selectFrom('audit_log').select(['id', 'action', 'before_json', 'after_json']).where('entity', '=', 'mark').where('entity_id', '=', cell).orderBy('id').execute();
  const byMark = new Map<number, Latest>();
  for (const row of rows) {
    const after = parsed(row.after_json);
    const markId = Number(after?.markId ?? parsed(row.before_json)?.markId);
    if (Number.isInteger(markId)) byMark.set(markId, { id: row.id, action: row.action, after });
  }
  return byMark;
}

const isDeletion = (record: Latest) => record.action.endsWith('.delete') || record.after === null || record.after.deleted === true;

type Finding = { kind: 'mark' | 'attendance' | 'lesson'; lessonId: number; studentId?: number; text: string };

/** Checks marks, attendance and lessons against their newest records; Russian findings. */
export async function checkStateAgainstHistory(db: Db): Promise<string[]> {
  const findings: Finding[] = [];
  const full = () => findings.length >= MAX_FINDINGS;

  // Marks.
  const markRecords = await latestRecords(db, 'mark');
  const severalInCell = new Set(
    (await db.selectFrom('mark').select(['lesson_id', 'student_id']).groupBy(['lesson_id', 'student_id']).having((eb) => eb.fn.countAll(), '>', 1).execute()).map((c) => `${c.lesson_id}:${c.student_id}`),
  );
  // Cells whose history is read mark by mark, and the marks seen in each.
  const perMark = new Map<string, { records: Map<number, Latest>; seen: Set<number> }>();
  for (let after = 0; !full(); ) {
    const rows = await db.selectFrom('mark').select(['id', 'lesson_id', 'student_id', 'value', 'work_type_id', 'comment', 'make_up', 'version']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      after = row.id;
      const key = `${row.lesson_id}:${row.student_id}`;
      let record = markRecords.get(key);
      markRecords.delete(key);
      const cellNewest = perMark.get(key) ? undefined : record;
      if (perMark.has(key) || (cellNewest && (severalInCell.has(key) || isDeletion(cellNewest) || (cellNewest.after?.markId !== undefined && cellNewest.after.markId !== row.id)))) {
        const cell = perMark.get(key) ?? { records: await markRecordsOfCell(db, key), seen: new Set<number>() };
        perMark.set(key, cell);
        cell.seen.add(row.id);
        record = cell.records.get(row.id);
      }
      const where = { kind: 'mark' as const, lessonId: row.lesson_id, studentId: row.student_id };
      if (!record) {
        if (row.version !== 1) findings.push({ ...where, text: `отметка «${row.value}» изменена, но в журнале изменений о ней нет ни одной записи` });
      } else if (isDeletion(record)) {
        findings.push({ ...where, text: `отметка «${row.value}» стоит, хотя по журналу изменений она удалена (запись № ${record.id})` });
      } else {
        const a = record.after!;
        if (a.value !== row.value || a.workTypeId !== row.work_type_id || a.comment !== row.comment || Boolean(a.makeUp) !== (row.make_up === 1)) {
          findings.push({ ...where, text: `отметка «${row.value}» не совпадает с журналом изменений: там «${String(a.value)}» (запись № ${record.id})` });
        }
      }
      if (full()) break;
    }
    if (rows.length < BATCH) break;
  }
  // A mark of a several-mark cell gone without a record of its deletion.
  for (const [key, cell] of perMark) {
    for (const [markId, record] of cell.records) {
      if (full() || cell.seen.has(markId) || isDeletion(record)) continue;
      const [lessonId, studentId] = key.split(':').map(Number);
      findings.push({ kind: 'mark', lessonId: lessonId!, studentId: studentId!, text: `отметка «${String(record.after!.value)}» удалена, но в журнале изменений об этом нет записи (последняя — № ${record.id})` });
    }
  }
  for (const [key, record] of markRecords) {
    if (full()) break;
    if (isDeletion(record)) continue;
    const [lessonId, studentId] = key.split(':').map(Number);
    findings.push({ kind: 'mark', lessonId: lessonId!, studentId: studentId!, text: `отметка «${String(record.after!.value)}» удалена, но в журнале изменений об этом нет записи (последняя — № ${record.id})` });
  }

  // Attendance: a row exists for a code; no row means present.
  if (!full()) {
    const attendanceRecords = await latestRecords(db, 'attendance');
    for (let afterLesson = 0, afterStudent = 0; !full(); ) {
      const rows = await db
        .selectFrom('attendance')
        .select(['lesson_id', 'student_id', 'code', 'version'])
        .where((eb) => eb.or([eb('lesson_id', '>', afterLesson), eb.and([eb('lesson_id', '=', afterLesson), eb('student_id', '>', afterStudent)])]))
        .orderBy('lesson_id')
        .orderBy('student_id')
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        afterLesson = row.lesson_id;
        afterStudent = row.student_id;
        const key = `${row.lesson_id}:${row.student_id}`;
        const record = attendanceRecords.get(key);
        attendanceRecords.delete(key);
        const where = { kind: 'attendance' as const, lessonId: row.lesson_id, studentId: row.student_id };
        const recorded = record && !isDeletion(record) ? (record.after!.code as string | null) : null;
        if (!record) {
          if (row.version !== 1) findings.push({ ...where, text: `пропуск «${row.code}» изменён, но в журнале изменений о нём нет ни одной записи` });
        } else if (recorded !== row.code) {
          findings.push({ ...where, text: `пропуск «${row.code}» не совпадает с журналом изменений: там ${recorded ? `«${recorded}»` : 'ученик присутствовал'} (запись № ${record.id})` });
        }
        if (full()) break;
      }
      if (rows.length < BATCH) break;
    }
    for (const [key, record] of attendanceRecords) {
      if (full()) break;
      const code = record.after && !isDeletion(record) ? (record.after.code as string | null) : null;
      if (!code) continue;
      const [lessonId, studentId] = key.split(':').map(Number);
      findings.push({ kind: 'attendance', lessonId: lessonId!, studentId: studentId!, text: `пропуск «${code}» снят, но в журнале изменений об этом нет записи (последняя — № ${record.id})` });
    }
  }

  // Lessons.
  if (!full()) {
    const lessonRecords = await latestRecords(db, 'lesson');
    const FIELDS = [
      ['date', 'дата'],
      ['topic', 'тема'],
      ['homework', 'домашнее задание'],
      ['lesson_number', 'номер урока'],
      ['load_id', 'класс и предмет'],
    ] as const;
    for (let after = 0; !full(); ) {
      const rows = await db.selectFrom('lesson').select(['id', 'date', 'topic', 'homework', 'lesson_number', 'load_id', 'version']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
      for (const row of rows) {
        after = row.id;
        const record = lessonRecords.get(String(row.id));
        lessonRecords.delete(String(row.id));
        if (!record) {
          if (row.version !== 1) findings.push({ kind: 'lesson', lessonId: row.id, text: 'урок изменён, но в журнале изменений о нём нет ни одной записи' });
        } else if (isDeletion(record)) {
          findings.push({ kind: 'lesson', lessonId: row.id, text: `урок есть, хотя по журналу изменений он удалён (запись № ${record.id})` });
        } else {
          const differs = FIELDS.filter(([field]) => field in record.after! && record.after![field] !== row[field]);
          if (differs.length > 0) {
            findings.push({ kind: 'lesson', lessonId: row.id, text: `у урока не совпадает с журналом изменений: ${differs.map(([, name]) => name).join(', ')} (запись № ${record.id})` });
          }
        }
        if (full()) break;
      }
      if (rows.length < BATCH) break;
    }
    for (const [key, record] of lessonRecords) {
      if (full()) break;
      if (isDeletion(record)) continue;
      findings.push({ kind: 'lesson', lessonId: Number(key), text: `урок удалён, но в журнале изменений об этом нет записи (последняя — № ${record.id})` });
    }
  }

  return Promise.all(findings.map((finding) => describe(db, finding)));
}


/** «Иванов Иван, 5А, Математика, урок 14.10.2026: …» — where the finding is, as a teacher names it. */
async function describe(db: Db, finding: Finding): Promise<string> {
  const lesson = await loadContextQuery(db).innerJoin('lesson as l', 'l.load_id', 'tl.id').select('l.date').where('l.id', '=', finding.lessonId).executeTakeFirst();
  const student = finding.studentId === undefined ? undefined : await db.selectFrom('student').select(['surname', 'name']).where('id', '=', finding.studentId).executeTakeFirst();
  const parts = [
    student ? `${student.surname} ${student.name}` : finding.studentId !== undefined ? `ученик № ${finding.studentId}` : null,
    lesson ? `${lesson.class_name}, ${lesson.subject_name}, урок ${russianDate(lesson.date)}` : `урок № ${finding.lessonId}`,
  ].filter(Boolean);
  return `${parts.join(', ')}: ${finding.text}`;
}
