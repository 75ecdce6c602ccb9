import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPrints } from '../../src-main/printing/print-log';
import type { JobStatus } from '../../src-shared/contract/jobs';
import type { TestSession } from '../support/client';
import { PdfFile } from '../support/pdf-file';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { createPrintFixture, signInAs, type PrintFixture } from '../support/print-fixture';

// The whole school for a period as a job in the core — one PDF per class into a
// folder the deputy chose, progress, cancel, and every file in the print log — checked the
// way the deputy would: the files in the folder, their SHA-256 against the print log.

const work = mkdtempSync(join(tmpdir(), 'zhurnal-school-job-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function untilFinished(session: TestSession, started: JobStatus): Promise<JobStatus> {
  let status = started;
  while (status.state === 'running' || status.state === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await session.ok('jobs.status', { jobId: started.jobId });
  }
  return status;
}

describe.each(engines)('the whole-school print job on %s', (engine) => {
  let t: TestCore;
  let fx: PrintFixture;
  let deputy: TestSession;
  const printLogCount = async () => (await listPrints(t.core.store.db, { limit: 100_000 })).length;

  beforeAll(async () => {
    t = await startTestCore(engine);
    fx = await createPrintFixture(t.core, { studentCount: 20 });
    await createPrintFixture(t.core, { admin: fx.admin, className: '6Б', studentCount: 12, seed: 11 });
    await createPrintFixture(t.core, { admin: fx.admin, className: '7В', studentCount: 8, seed: 12 });
    deputy = await signInAs(t.core, fx.users.deputy.login);
  }, 120_000);
  afterAll(async () => t?.close());

  it('the deputy prints every class into a folder: valid PDFs whose SHA-256 the print log holds', async () => {
    const folder = join(work, `${engine}-all`);
    mkdirSync(folder);
    const started = await deputy.ok('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder });
    expect(started).toMatchObject({ kind: 'print.school', title: 'Печать журналов всей школы', state: 'running', total: 3, target: folder, startedBy: fx.users.deputy.fullName });
    const finished = await untilFinished(deputy, started);

    expect(finished).toMatchObject({ state: 'done', done: 3, total: 3, current: null, error: null, result: `Готово: записано 3 файла в папку ${folder}.` });
    expect(finished.items.map((f) => [f.label, f.status])).toEqual([
      ['5А', 'ok'],
      ['6Б', 'ok'],
      ['7В', 'ok'],
    ]);
    // Exactly the three journals in the folder: no temporary or partial files.
    expect(readdirSync(folder).sort()).toEqual(['Журнал 5А, I четверть 2025-2026.pdf', 'Журнал 6Б, I четверть 2025-2026.pdf', 'Журнал 7В, I четверть 2025-2026.pdf']);
    const log = await deputy.ok('print.log', { limit: 100 });
    for (const file of finished.items) {
      const bytes = readFileSync(join(folder, file.fileName!));
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
      expect(sha256(join(folder, file.fileName!))).toBe(file.sha256);
      // Recorded as a print by the deputy from the app, like a single class's print.
      const entry = log.find((e) => e.sha256 === file.sha256);
      expect(entry).toMatchObject({ userName: fx.users.deputy.fullName, source: 'app', document: 'class_journal', fileName: file.fileName, options: { wholeSchool: true } });
      expect(file.summary).toMatch(new RegExp(`^${entry!.sheets} лист(а|ов)?$`));
      const audit = await t.core.store.db.selectFrom('audit_log').select('action').where('entity', '=', 'print_log').where('entity_id', '=', String(entry!.id)).execute();
      expect(audit).toEqual([{ action: 'print.class_journal' }]);
    }
    // The same data printed one class at a time gives the same pages (D-39); each file's
    // certification names its own print-log entry.
    const single = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, duplex: false });
    expect(log.find((e) => e.sha256 === finished.items[0]!.sha256)!.pages).toBe(single.pages);
    expect(PdfFile.read(join(folder, finished.items[0]!.fileName!)).fingerprintOfFirstPages(single.pages - 1)).toBe(single.fingerprint);
  });

  it('one job at a time; «Остановить» stops after the current class and leaves no partial file', async () => {
    const folder = join(work, `${engine}-cancel`);
    mkdirSync(folder);
    const before = await printLogCount();
    // Signed in before the job starts: a sign-in (argon2) on a busy machine could otherwise
    // outlast the whole job, and there would be nothing left to stop.
    const director = await signInAs(t.core, fx.users.director.login);
    const started = await deputy.ok('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder });

    const second = await director.fails('print.schoolJob.start', { yearId: fx.yearId, period: 'year', folder: work });
    expect(second.kind).toBe('conflict');
    expect(second.message).toMatch(/^Печать всей школы уже идёт \(её начал\(а\) Белова Светлана Игоревна; готово \d из 3\)\. Дождитесь окончания или остановите её\.$/);

    const cancelling = await deputy.ok('jobs.cancel', { jobId: started.jobId });
    expect(cancelling.cancelRequested).toBe(true);
    const finished = await untilFinished(deputy, started);

    expect(finished.state).toBe('cancelled');
    // Stopped early: not every class was printed.
    const written = finished.items.filter((f) => f.status === 'ok');
    expect(written.length).toBeLessThan(3);
    // What is in the folder is exactly what was finished, whole, and logged; nothing else.
    expect(readdirSync(folder).sort()).toEqual(written.map((f) => f.fileName).sort());
    for (const file of written) expect(sha256(join(folder, file.fileName!))).toBe(file.sha256);
    expect(await printLogCount()).toBe(before + written.length);

    // Over: a new job may start.
    const next = await deputy.ok('print.schoolJob.start', { yearId: fx.yearId, period: 2, folder });
    expect((await untilFinished(deputy, next)).state).toBe('done');
  });

  it('a folder that does not exist, a relative path or a file is refused before anything is printed', async () => {
    const before = await printLogCount();
    const missing = join(work, 'нет такой папки');
    expect(await deputy.fails('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder: missing })).toMatchObject({
      kind: 'validation',
      message: `Папка «${missing}» не найдена. Выберите существующую папку.`,
    });
    expect((await deputy.fails('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder: 'Журналы' })).message).toMatch(/^Укажите полный путь к папке/);
    const file = join(work, 'файл.txt');
    writeFileSync(file, 'не папка');
    expect((await deputy.fails('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder: file })).message).toBe(`«${file}» — это файл, а не папка. Выберите папку.`);
    expect(await printLogCount()).toBe(before);
    expect(readdirSync(work).filter((name) => name.startsWith('.'))).toEqual([]);
    // A refused start leaves the slot free.
    const folder = join(work, `${engine}-after-refusal`);
    mkdirSync(folder);
    const started = await deputy.ok('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder });
    expect((await untilFinished(deputy, started)).state).toBe('done');
  });

  it('a teacher may not print the whole school, nor watch or stop the deputy\'s job', async () => {
    const folder = join(work, `${engine}-teacher`);
    mkdirSync(folder);
    const classTeacher = await signInAs(t.core, fx.users.classTeacher.login);
    const refused = await classTeacher.fails('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder });
    expect(refused).toMatchObject({ kind: 'forbidden', message: 'Журналы всей школы печатает администрация: директор, заместитель директора или администратор.' });
    expect(readdirSync(folder)).toEqual([]);

    const started = await deputy.ok('print.schoolJob.start', { yearId: fx.yearId, period: 1, folder });
    // Another user's job is not theirs to see or stop: as if there were none.
    expect((await classTeacher.fails('jobs.status', { jobId: started.jobId })).kind).toBe('not_found');
    expect((await classTeacher.fails('jobs.cancel', { jobId: started.jobId })).kind).toBe('not_found');
    expect(await classTeacher.ok('jobs.mine', {})).toEqual([]);
    const finished = await untilFinished(deputy, started);
    expect(finished).toMatchObject({ state: 'done', cancelRequested: false });
    expect((await deputy.fails('jobs.status', { jobId: 'нет-такого' })).kind).toBe('not_found');
  });
});
