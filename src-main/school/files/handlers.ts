import { personalDataReader, showsBirthDate } from '../../students/visibility';
import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { ImportPreview, ListKind } from '../../../src-shared/contract/school-files';
import { russianDate } from '../../../src-shared/rules/dates';
import { hasPermission, roleTitles } from '../../../src-shared/roles';
import { findUserByLogin, insertAccount } from '../../accounts/repository';
import { hashPassword } from '../../accounts/passwords';
import type { HandlerContext } from '../../core/context';
import { AppError, forbidden, invalid, notFound } from '../../core/errors';
import type { JobContext, JobRunner } from '../../jobs/runner';
import { plural } from '../../../src-shared/rules/plural';
import { defineHandlers } from '../../core/handlers';
import type { Tx } from '../../store/database';
import { loadQuery, insertLoad, insertSubgroup } from '../../load/handlers';
import { insertClass } from '../classes-handlers';
import { insertStudent } from '../../students/handlers';
import { listClasses, listStaff, listStudents } from '../people';
import { requireOpenYear, resolveYearId, schoolToday } from '../years';
import { checkClasses, checkLoad, checkStaff, checkStudents, exportColumns, importContext, mapColumns, type CheckedRow, type MappedTable } from './lists';
import { escapeSpreadsheetText } from './cell-escape';
import type { RawTable } from './read-table';
import { readTable } from './table-reader';
import { temporaryPassword } from './values';

const kindWords: Record<ListKind, string> = { students: 'учеников', staff: 'сотрудников', classes: 'классов', load: 'нагрузки' };

/** Staff accounts need the accounts right, the teaching load the school-settings right. */
function requireKindPermission(ctx: HandlerContext, kind: ListKind) {
  const caller = ctx.requireCaller();
  if (kind === 'staff' && !hasPermission(caller.roles, 'accounts.manage')) throw forbidden('Импорт сотрудников доступен только администратору.');
  if (kind === 'load' && !hasPermission(caller.roles, 'school.manage')) throw forbidden('Импорт нагрузки доступен только администратору.');
}

async function yearFor(ctx: HandlerContext, db: Tx | HandlerContext['store']['db'], yearId: number | undefined) {
  const today = await schoolToday(db, ctx.now());
  const resolved = await resolveYearId(db, yearId, today);
  if (resolved === null) throw invalid('Сначала создайте учебный год.');
  return { yearId: resolved, today };
}

function check(kind: ListKind, mapped: MappedTable, context: Awaited<ReturnType<typeof importContext>>, today: string): CheckedRow<unknown>[] {
  switch (kind) {
    case 'students':
      return checkStudents(mapped.rows, context, today);
    case 'staff':
      return checkStaff(mapped.rows, context);
    case 'classes':
      return checkClasses(mapped.rows, context);
    case 'load':
      return checkLoad(mapped.rows, context);
  }
}

async function preview(ctx: HandlerContext, db: Tx | HandlerContext['store']['db'], input: { kind: ListKind; yearId?: number }, table: RawTable) {
  const { yearId, today } = await yearFor(ctx, db, input.yearId);
  await requireOpenYear(db, yearId);
  const mapped = mapColumns(input.kind, table);
  const checked = mapped.fileErrors.length > 0 ? [] : check(input.kind, mapped, await importContext(db, yearId), today);
  const result: ImportPreview = {
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    columns: mapped.columns,
    rows: checked.map((r) => ({ row: r.row, values: r.values, errors: r.errors })),
    validRows: checked.filter((r) => r.errors.length === 0).length,
    errorRows: checked.filter((r) => r.errors.length > 0).length,
    fileErrors: mapped.fileErrors,
  };
  return { result, checked, yearId };
}

function refuseInvalid(result: ImportPreview): void {
  if (result.fileErrors.length > 0) throw invalid(`Файл не импортирован: ${result.fileErrors.join(' ')}`, { fileErrors: result.fileErrors });
  const bad = result.rows.filter((r) => r.errors.length > 0);
  if (bad.length > 0) {
    const first = bad[0]!;
    const more = bad.length > 1 ? ` Ещё строк с ошибками: ${bad.length - 1}.` : '';
    throw invalid(`Файл не импортирован, ничего не записано. Строка ${first.row}: ${first.errors.join('; ')}.${more}`, {
      rows: bad.map((r) => ({ row: r.row, errors: r.errors })),
    });
  }
}

/** An insert helper's refusal, named with the file row it came from. */
async function atRow<T>(row: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.kind, `Файл не импортирован, ничего не записано. Строка ${row}: ${error.message}`, { rows: [{ row, errors: [error.message] }] });
    throw error;
  }
}

function toCsv(header: string[], rows: string[][]): Buffer {
  // Excel opens a UTF-8 file with a BOM and «;» correctly in the Russian locale.
  const text = Papa.unparse([header, ...rows].map((cells) => cells.map(escapeSpreadsheetText)), { delimiter: ';', newline: '\r\n' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

async function toXlsx(sheetName: string, header: string[], rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(escapeSpreadsheetText));
  sheet.columns.forEach((column, index) => {
    const widest = Math.max(header[index]?.length ?? 0, ...rows.map((r) => r[index]?.length ?? 0));
    column.width = Math.min(60, Math.max(10, widest + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const IMPORT_JOB_KIND = 'import';

const IMPORT_STEPS = { read: 'Чтение файла', check: 'Проверка строк', passwords: 'Временные пароли', write: 'Запись в базу' } as const;

interface ImportOutcome {
  created: number;
  updated: number;
  temporaryPasswords: Array<{ login: string; fullName: string; password: string }>;
}

/**
 * The import's work, step by step as a job: read, check, (staff) passwords, write. A stop
 * before the write, or during it between rows, writes nothing: the rows go in one
 * transaction, rolled back on a stop.
 */
async function importFile(ctx: HandlerContext, input: { kind: ListKind; fileName: string; content: string; yearId?: number }, job: JobContext): Promise<ImportOutcome> {
  job.working(IMPORT_STEPS.read);
  // Read once, off the core's thread, and never while the transaction holds the database.
  const table = await readTable(input.content, input.fileName);
  job.unitDone({ label: IMPORT_STEPS.read, summary: `${table.rows.length} ${plural(table.rows.length, 'строка', 'строки', 'строк')}` });
  job.signal.throwIfAborted();
  job.working(IMPORT_STEPS.check);
  // A first check outside the transaction spares hashing passwords for a file that fails anyway.
  const first = await preview(ctx, ctx.store.db, input, table);
  refuseInvalid(first.result);
  job.unitDone({ label: IMPORT_STEPS.check, message: 'ошибок нет' });
  job.signal.throwIfAborted();
  const passwords = new Map<number, { password: string; generated: boolean; hash: string }>();
  if (input.kind === 'staff') {
    job.working(IMPORT_STEPS.passwords);
    await Promise.all(
      (first.checked as CheckedRow<{ password: string | null }>[]).map(async (r) => {
        const password = r.data!.password ?? temporaryPassword(randomInt);
        passwords.set(r.row, { password, generated: r.data!.password === null, hash: await hashPassword(password) });
      }),
    );
    job.unitDone({ label: IMPORT_STEPS.passwords });
    job.signal.throwIfAborted();
  }
  job.working(IMPORT_STEPS.write);
  const outcome = await ctx.transaction(async (tx) => {
    // Checked again inside the transaction: the school may have changed since the preview.
    const { result, checked, yearId } = await preview(ctx, tx, input, table);
    refuseInvalid(result);
    const now = ctx.now().toISOString();
    const temporaryPasswords: ImportOutcome['temporaryPasswords'] = [];
    let created = 0;
    for (const row of checked) {
      // A stop between rows rolls back the rows written so far.
      job.signal.throwIfAborted();
      job.working(`${IMPORT_STEPS.write}: строка ${created + 1} из ${checked.length}`);
      await atRow(row.row, async () => {
        switch (input.kind) {
          case 'students':
            await insertStudent(tx, row.data as Parameters<typeof insertStudent>[1], now);
            break;
          case 'classes':
            await insertClass(tx, { yearId, ...(row.data as { grade: number; letter: string; classTeacherId: number | null; room: string }) });
            break;
          case 'staff': {
            const data = row.data as { fullName: string; login: string; position: string; roles: Parameters<typeof insertAccount>[1]['roles'] };
            if (await findUserByLogin(tx, data.login)) throw invalid(`логин «${data.login}» уже занят`);
            const secret = passwords.get(row.row);
            if (!secret) throw invalid('файл изменился между проверкой и импортом; повторите');
            await insertAccount(tx, { login: data.login, fullName: data.fullName, position: data.position, roles: data.roles, passwordHash: secret.hash, mustChangePassword: true, createdAt: now });
            if (secret.generated) temporaryPasswords.push({ login: data.login, fullName: data.fullName, password: secret.password });
            break;
          }
          case 'load': {
            const data = row.data as { classId: number; subjectId: number; subgroupId: number | null; subgroupName: string | null; teacherId: number; hoursPerWeek: number };
            let subgroupId = data.subgroupId;
            if (data.subgroupName !== null && subgroupId === null) {
              const existing = await tx.selectFrom('subgroup').select(['id', 'name']).where('class_id', '=', data.classId).where('subject_id', '=', data.subjectId).execute();
              subgroupId = existing.find((g) => g.name.toLowerCase() === data.subgroupName!.toLowerCase())?.id ?? (await insertSubgroup(tx, { classId: data.classId, subjectId: data.subjectId, name: data.subgroupName })).id;
            }
            await insertLoad(tx, { classId: data.classId, subjectId: data.subjectId, teacherId: data.teacherId, subgroupId, hoursPerWeek: data.hoursPerWeek });
            break;
          }
        }
      });
      created += 1;
    }
    job.signal.throwIfAborted();
    // One audit record for the whole file (the passwords never go into the audit).
    await ctx.audit(tx, {
      action: 'import.apply',
      entity: 'import',
      entityId: input.kind,
      after: { kind: input.kind, fileName: input.fileName, format: result.format, yearId, created },
      reason: `Импорт ${kindWords[input.kind]} из файла «${input.fileName}»`,
    });
    return { created, updated: 0, temporaryPasswords };
  });
  // Committed: the last step is done, whatever was pressed meanwhile.
  job.unitDone({ label: IMPORT_STEPS.write, summary: `${outcome.created} ${plural(outcome.created, 'запись', 'записи', 'записей')}` });
  return outcome;
}

/** Import (preview, then all-or-nothing apply as a job) and export of the school's lists. */
export function schoolFileHandlers(jobs: JobRunner) {
  return defineHandlers({
    async 'import.preview'(input, ctx) {
      requireKindPermission(ctx, input.kind);
      return (await preview(ctx, ctx.store.db, input, await readTable(input.content, input.fileName))).result;
    },

    async 'import.apply'(input, ctx) {
      requireKindPermission(ctx, input.kind);
      const caller = ctx.requireCaller();
      return jobs.start({
        kind: IMPORT_JOB_KIND,
        title: `Импорт ${kindWords[input.kind]} из файла «${input.fileName}»`,
        owner: { userId: caller.userId, fullName: caller.fullName },
        target: null,
        total: input.kind === 'staff' ? 4 : 3,
        cancelled: 'Импорт остановлен: ничего не записано. Можно загрузить файл ещё раз.',
        run: async (job) => {
          const outcome = await importFile(ctx, input, job);
          job.keep(outcome);
          const added = `добавлено ${outcome.created} ${plural(outcome.created, 'запись', 'записи', 'записей')}`;
          const passwords = outcome.temporaryPasswords.length > 0 ? ' Временные пароли новых сотрудников — ниже.' : '';
          return `Загружено из «${input.fileName}»: ${added}.${passwords}`;
        },
      });
    },

    async 'import.result'(input, ctx) {
      const outcome = jobs.output(input.jobId, ctx.requireCaller().userId, IMPORT_JOB_KIND) as ImportOutcome | undefined;
      if (!outcome) throw notFound('Импорт ещё не закончен или ничего не записал.');
      const answer = structuredClone(outcome);
      // Temporary passwords are handed over once, as when they were answered with the import.
      outcome.temporaryPasswords = [];
      return answer;
    },

    async 'export.list'(input, ctx) {
      const db = ctx.store.db;
      const { yearId, today } = await yearFor(ctx, db, input.yearId);
      const date = input.date ?? today;
      const header = exportColumns(input.kind).map((c) => c.title);
      let rows: string[][];
      switch (input.kind) {
        case 'students': {
          // 152-ФЗ: a birth date only to those who may see it for that class (blank otherwise).
          const reader = await personalDataReader(db, ctx.requireCaller());
          rows = (await listStudents(db, { yearId, date })).map((s) => [
            s.surname,
            s.name,
            s.patronymic,
            s.birthDate && showsBirthDate(reader.level(s.enrollment.classId)) ? russianDate(s.birthDate) : '',
            s.gender,
            s.enrollment.className,
            russianDate(s.enrollment.arrivedOn),
            s.enrollment.arrivalOrder,
          ]);
          break;
        }
        case 'staff':
          rows = (await listStaff(db)).map((s) => [s.fullName, s.login, s.position, s.roles.map((r) => roleTitles[r]).join(', ')]);
          break;
        case 'classes':
          rows = (await listClasses(db, yearId, date)).map((c) => [c.name, c.classTeacherName ?? '', c.room]);
          break;
        case 'load':
          rows = (await loadQuery(db).where('tl.year_id', '=', yearId).orderBy('c.grade').orderBy('c.letter').orderBy('s.sort_order').orderBy('s.name').orderBy('sg.name').execute()).map((l) => [
            l.class_name,
            l.subject_name,
            l.subgroup_name ?? '',
            l.teacher_name,
            String(Number(l.hours_per_week)).replace('.', ','),
          ]);
          break;
      }
      const baseName = { students: 'Ученики', staff: 'Сотрудники', classes: 'Классы', load: 'Нагрузка' }[input.kind];
      const content = input.format === 'csv' ? toCsv(header, rows) : await toXlsx(baseName, header, rows);
      return {
        fileName: `${baseName} ${date}.${input.format}`,
        mimeType: input.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        content: content.toString('base64'),
        rows: rows.length,
      };
    },
  });
}
