import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/database';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { ADMIN, createSchoolAndSignIn, signIn, type TestSession } from '../support/client';
import { engines, freshDatabase, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { untilJobOver } from '../support/jobs';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';
import { BACKUP_PASSWORD, backupNow, tempDir } from './backup-helpers';

// Restore, the year's archive and the list imports run as jobs: their steps are seen through
// jobs.status, «Остановить» writes nothing, and only whoever started a job sees or stops it.

const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const LETTERS = 'абвгдежзиклмнопрстуфхцчшэюя';
/** A distinct Russian surname suffix per number: «аб», «ав», … */
const suffix = (n: number) => LETTERS[Math.floor(n / LETTERS.length) % LETTERS.length]! + LETTERS[n % LETTERS.length]!;

/** Many valid students for 5А: an import long enough to stop in the middle. */
function manyStudents(count: number): string {
  const lines = ['Фамилия;Имя;Отчество;Дата рождения;Класс'];
  for (let i = 0; i < count; i++) lines.push(`Новиков${suffix(i)}${suffix(Math.floor(i / 729))};Олег;Иванович;01.02.2015;5А`);
  return utf8(`${lines.join('\n')}\n`);
}

describe.each(engines)('restore, year archive and imports as jobs on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let secondAdmin: TestSession;
  let teacher: TestSession;
  let school: SmallSchool;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
    await admin.ok('accounts.create', { login: 'ivanova2', fullName: 'Иванова Мария Петровна', roles: ['administrator'], temporaryPassword: 'Времен-123' });
    await admin.ok('accounts.create', { login: 'petrova2', fullName: 'Петрова Анна Ильинична', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    for (const login of ['ivanova2', 'petrova2']) {
      const first = await signIn(t.core, login, 'Времен-123');
      await first.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Постоянный-пароль-7' });
    }
    secondAdmin = await signIn(t.core, 'ivanova2', 'Постоянный-пароль-7');
    teacher = await signIn(t.core, 'petrova2', 'Постоянный-пароль-7');
    await admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    for (const cleanup of cleanups) await cleanup();
  });
  const newDir = (prefix?: string) => {
    const dir = tempDir(prefix);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const students = async () => (await admin.ok('students.list', { classId: school.classId })).length;

  /** Nobody but the owner sees, stops or reads the job. */
  async function othersCannotReach(job: JobStatus) {
    for (const other of [secondAdmin, teacher]) {
      expect(await other.fails('jobs.status', { jobId: job.jobId })).toMatchObject({ kind: 'not_found' });
      expect(await other.fails('jobs.cancel', { jobId: job.jobId })).toMatchObject({ kind: 'not_found' });
      expect((await other.ok('jobs.mine', {})).map((mine) => mine.jobId)).not.toContain(job.jobId);
    }
  }

  it('an import shows its steps, says what it wrote, and hands its counts to its owner only', async () => {
    const before = await students();
    const started = await admin.ok('import.apply', { kind: 'students', fileName: 'новые.csv', content: manyStudents(3) });
    expect(started).toMatchObject({ kind: 'import', title: 'Импорт учеников из файла «новые.csv»', total: 3, startedBy: ADMIN.fullName });
    await othersCannotReach(started);
    expect(await secondAdmin.fails('import.result', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
    const over = await untilJobOver(admin, started);
    expect(over).toMatchObject({ state: 'done', done: 3, total: 3, current: null, error: null, result: 'Загружено из «новые.csv»: добавлено 3 записи.' });
    expect(over.items.map((item) => [item.label, item.status])).toEqual([
      ['Чтение файла', 'ok'],
      ['Проверка строк', 'ok'],
      ['Запись в базу', 'ok'],
    ]);
    expect(await admin.ok('import.result', { jobId: started.jobId })).toEqual({ created: 3, updated: 0, temporaryPasswords: [] });
    // Another administrator's attempts changed nothing of it.
    expect(await secondAdmin.fails('import.result', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
    expect(await students()).toBe(before + 3);
  });

  it('«Остановить» during an import writes nothing and says so', async () => {
    const before = await students();
    const audit = await newestAuditId(t);
    const started = await admin.ok('import.apply', { kind: 'students', fileName: 'много.csv', content: manyStudents(1500) });
    // Another user's cancel is not theirs to give: the job goes on.
    expect(await secondAdmin.fails('jobs.cancel', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
    expect((await admin.ok('jobs.cancel', { jobId: started.jobId })).cancelRequested).toBe(true);
    const over = await untilJobOver(admin, started);
    expect(over).toMatchObject({ state: 'cancelled', error: null, result: 'Импорт остановлен: ничего не записано. Можно загрузить файл ещё раз.' });
    expect(over.done).toBeLessThan(over.total);
    expect(await students()).toBe(before);
    expect(await newestAuditId(t)).toBe(audit);
    expect(await admin.fails('import.result', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
  });

  it('the year archive: steps per part; stopped, no folder appears and nothing is audited', async () => {
    const dir = newDir('zhurnal-archive-');
    const audit = await newestAuditId(t);
    const started = await admin.ok('backup.exportYear', { year: '2026/2027', to: dir });
    // read, tables, the journal of 5А, the summary sheet, the manifest
    expect(started).toMatchObject({ kind: 'backup.exportYear', title: 'Архив учебного года 2026/2027', target: dir });
    await othersCannotReach(started);
    await admin.ok('jobs.cancel', { jobId: started.jobId });
    const stopped = await untilJobOver(admin, started);
    expect(stopped).toMatchObject({ state: 'cancelled', result: 'Выгрузка архива остановлена: в папке ничего не появилось.' });
    expect(readdirSync(dir)).toEqual([]);
    expect(await newestAuditId(t)).toBe(audit);

    const over = await untilJobOver(admin, await admin.ok('backup.exportYear', { year: '2026/2027', to: dir }));
    expect(over).toMatchObject({ state: 'done', done: 5, total: 5 });
    expect(over.items.map((item) => item.label)).toEqual(['Чтение данных года', 'Таблицы CSV и JSON', 'Журнал 5А', 'Сводная ведомость', 'Оглавление и подпись']);
    expect(readdirSync(dir)).toEqual(['zhurnal-archive-2026-2027']);
    // A folder that is not there is refused at once.
    expect(await admin.fails('backup.exportYear', { year: '2026/2027', to: `${dir}/нет-такой` })).toMatchObject({ kind: 'validation' });
  });

  it('a restore shows its four steps; stopped, the target stays as it was; only its owner sees it', async () => {
    const [file] = (await backupNow(admin, newDir())).files;
    const target = await freshDatabase(engine);
    cleanups.push(target.drop);
    const spec = engine === 'sqlite' ? { kind: 'sqlite' as const, path: target.url } : { kind: 'postgres' as const, url: target.url };
    const audit = await newestAuditId(t);
    const started = await admin.ok('backup.restore', { file: file!, password: BACKUP_PASSWORD, target: spec });
    expect(started).toMatchObject({ kind: 'backup.restore', title: 'Восстановление резервной копии', total: 4, target: engine === 'sqlite' ? target.url : 'база PostgreSQL' });
    await othersCannotReach(started);
    // One restore at a time.
    expect(await secondAdmin.fails('backup.restore', { file: file!, password: BACKUP_PASSWORD, target: spec })).toMatchObject({ kind: 'conflict' });
    await admin.ok('jobs.cancel', { jobId: started.jobId });
    const stopped = await untilJobOver(admin, started);
    expect(stopped).toMatchObject({ state: 'cancelled', error: null, result: 'Восстановление остановлено: ничего не записано, текущая база не менялась.' });
    expect(await newestAuditId(t)).toBe(audit);
    if (engine === 'sqlite') {
      // No database and no half-built file beside it.
      expect(existsSync(target.url)).toBe(false);
      expect(readdirSync(dirname(target.url))).toEqual([]);
    } else {
      const store = await openStore(target.url, { poolSize: 1 });
      try {
        const tables = await store.db.introspection.getTables();
        if (tables.some((table) => table.name === 'school')) expect(await store.db.selectFrom('school').select('id').execute()).toEqual([]);
      } finally {
        await store.close();
      }
    }

    // Restored to the end: four steps, and the same target takes it.
    const over = await untilJobOver(admin, await admin.ok('backup.restore', { file: file!, password: BACKUP_PASSWORD, target: spec }));
    expect(over).toMatchObject({ state: 'done', done: 4, total: 4, error: null });
    expect(over.items.map((item) => item.label)).toEqual([
      'Проверка файла: подпись, контрольные суммы, пароль',
      'Загрузка данных',
      'Обновление базы до этой версии программы',
      'Восстановленная база на месте',
    ]);
    const restored = await openStore(target.url, { poolSize: 1 });
    try {
      expect((await restored.db.selectFrom('school').select('name').executeTakeFirstOrThrow()).name).toBeTruthy();
    } finally {
      await restored.close();
    }
  });
});
