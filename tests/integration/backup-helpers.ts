import { existsSync, mkdtempSync } from 'node:fs';
import type { JobStatus } from '../../src-shared/contract/jobs';
import type { TestSession } from '../support/client';
import { runJobDone } from '../support/jobs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src-main/store/database';
import { buildJournalSchool, type JournalSchool } from '../support/journal-fixture';
import type { TestCore } from '../support/engines';

// Shared by the backup-*.test.ts files: a school with journal data, and every table's rows
// read plainly (not through the backup code) to compare a restore with its source.

export const BACKUP_PASSWORD = 'Пароль-копий-2026';

export const tempDir = (prefix = 'zhurnal-backup-') => mkdtempSync(join(tmpdir(), prefix));

/** The journal fixture plus lessons, marks, attendance and finals, with awkward text. */
export async function schoolWithJournal(t: TestCore): Promise<JournalSchool> {
  const school = await buildJournalSchool(t);
  const db = t.core.store.db;
  const at = '2026-10-01T05:00:00.000Z';
  const students = Object.values(school.students);
  for (const [index, date] of ['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-23'].entries()) {
    const lesson = await db
      .insertInto('lesson')
      .values({
        load_id: school.loads.math5A,
        date,
        lesson_number: 2,
        topic: `Дроби; часть ${index + 1} — «кавычки», "двойные" и перевод\nстроки 🙂`,
        material: '',
        homework: index % 2 ? '№ 12, 14' : '',
        homework_for: null,
        work_types: JSON.stringify([school.workTypes.oral]),
        comment: '',
        given_by: school.math.id,
        substitution: 0,
        created_at: at,
        created_by: school.math.id,
        topic_entered_at: at,
        homework_entered_at: null,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [n, student] of students.entries()) {
      if ((n + index) % 3 === 0) {
        await db.insertInto('attendance').values({ lesson_id: lesson.id, student_id: student, code: 'Б', updated_at: at, updated_by: school.math.id, version: 1 }).execute();
        continue;
      }
      await db
        .insertInto('mark')
        .values({ lesson_id: lesson.id, student_id: student, value: String(3 + ((n + index) % 3)), work_type_id: school.workTypes.oral, comment: n === 1 ? 'устно; у доски' : '', make_up: 0, created_at: at, created_by: school.math.id, updated_at: at, updated_by: school.math.id, version: 1 })
        .execute();
    }
  }
  for (const student of students) {
    await db
      .insertInto('final_mark')
      .values({ load_id: school.loads.math5A, student_id: student, kind: 'period', period_id: school.periods.q1, value: '4', suggested: '4.25', deferred: 0, updated_at: at, updated_by: school.math.id, version: 1 })
      .execute();
  }
  return school;
}

/** Every application table's rows, sorted, read with plain queries. */
export async function everyTable(store: Store): Promise<Record<string, unknown[]>> {
  // The application's tables (PostgreSQL keeps the journal guard in a schema of its own).
  const tables = (await store.db.introspection.getTables()).filter((t) => t.schema === undefined || t.schema === 'public');
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await store.db.selectFrom(table.name as never).selectAll().execute();
    result[table.name] = rows.map((row) => JSON.stringify(row, Object.keys(row as object).sort())).sort();
  }
  return result;
}

/**
 * «Сделать копию сейчас» as the app does it: the backup job started and waited for. Answers
 * its last status and the full paths of the copies it wrote (into `to`, or the settings' places).
 */
export async function backupNow(session: TestSession, to?: string): Promise<{ job: JobStatus; files: string[] }> {
  const job = await runJobDone(session, 'backup.start', to ? { to } : {});
  const folders = to ? [to] : await configuredFolders(session);
  const files = job.items
    .filter((item) => item.fileName !== null)
    .map((item) => {
      const folder = folders.find((candidate) => existsSync(join(candidate, item.fileName!)));
      if (!folder) throw new Error(`backup file ${item.fileName} not found`);
      return join(folder, item.fileName!);
    });
  return { job, files };
}

async function configuredFolders(session: TestSession): Promise<string[]> {
  const status = await session.ok('backup.status', {});
  return status.destinations.map((destination) => destination.location).filter((location): location is string => location !== null);
}
