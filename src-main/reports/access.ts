import { sql } from 'kysely';
import { addDays, localDate } from '../../src-shared/rules/dates';
import type { Db } from '../store/database';
import type { RowScope } from './scope';

// «Отчёт о доступе к классному журналу» (004 §4.2): per teacher, the days they signed in and
// the days they wrote in the journal, from the audit. The database counts records per user
// and UTC hour; the hours are then turned into the school's calendar days (Russian time
// zones are whole hours), so a sign-in at 06:00 in Tomsk falls on its own day.

/** Audit actions that are writing in the class journal. */
export const JOURNAL_ACTIONS = ['lesson.create', 'lesson.update', 'lesson.delete', 'mark.create', 'mark.update', 'mark.delete', 'attendance.set', 'final.set'];

export interface AccessLine {
  teacherId: number;
  teacherName: string;
  signInDays: number;
  journalDays: number;
  journalEntries: number;
  lastSignIn: string | null;
}

export async function accessLines(db: Db, q: { yearId: number; from: string; to: string; teacherId?: number; scope: RowScope; timeZone: string }): Promise<AccessLine[]> {
  let teachers = db
    .selectFrom('teaching_load as tl')
    .innerJoin('app_user as u', 'u.id', 'tl.teacher_id')
    .select(['u.id', 'u.full_name'])
    .distinct()
    .where('tl.year_id', '=', q.yearId)
    .orderBy('u.full_name');
  if (q.teacherId !== undefined) teachers = teachers.where('u.id', '=', q.teacherId);
  if (!q.scope.all) teachers = teachers.where('u.id', '=', q.scope.userId);
  const list = await teachers.execute();
  if (list.length === 0) return [];
  // A day either side: the school's day starts and ends at other UTC hours.
  const hours = await db
    .selectFrom('audit_log as a')
    .select([
      'a.user_id',
      sql<string>`substr(a.at, 1, 13)`.as('hour'),
      sql<number>`sum(case when a.action = 'auth.login' then 1 else 0 end)`.as('logins'),
      sql<number>`sum(case when a.action in (${sql.join(JOURNAL_ACTIONS)}) then 1 else 0 end)`.as('writes'),
    ])
    .where('a.user_id', 'in', list.map((t) => t.id))
    .where('a.at', '>=', addDays(q.from, -1))
    .where('a.at', '<', addDays(q.to, 2))
    .where((eb) => eb.or([eb('a.action', '=', 'auth.login'), eb('a.action', 'in', JOURNAL_ACTIONS)]))
    .groupBy(['a.user_id', sql`substr(a.at, 1, 13)`])
    .execute();
  const byUser = new Map<number, { signIn: Set<string>; journal: Set<string>; entries: number; last: string | null }>();
  for (const h of hours) {
    const day = localDate(new Date(`${h.hour}:00:00Z`), q.timeZone);
    if (day < q.from || day > q.to || h.user_id === null) continue;
    const entry = byUser.get(h.user_id) ?? { signIn: new Set<string>(), journal: new Set<string>(), entries: 0, last: null };
    if (Number(h.logins) > 0) {
      entry.signIn.add(day);
      if (entry.last === null || day > entry.last) entry.last = day;
    }
    if (Number(h.writes) > 0) entry.journal.add(day);
    entry.entries += Number(h.writes);
    byUser.set(h.user_id, entry);
  }
  return list.map((t) => {
    const e = byUser.get(t.id);
    return { teacherId: t.id, teacherName: t.full_name, signInDays: e?.signIn.size ?? 0, journalDays: e?.journal.size ?? 0, journalEntries: e?.entries ?? 0, lastSignIn: e?.last ?? null };
  });
}
