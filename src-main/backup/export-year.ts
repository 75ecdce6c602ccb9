import { createHash, sign } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/errors';
import { printClassJournal, safeFileName } from '../printing/class-journal';
import { printYearSummary } from '../printing/summary';
import type { Selectable } from 'kysely';
import type { Store } from '../store/database';
import type { Database } from '../store/schema';
import { escapeSpreadsheetText } from '../school/files/cell-escape';
import { quoteIdent, type TableInfo } from './catalog';
import { ensureSigningKey } from './keys';
import { appVersion } from './run';
import { withSnapshotSource } from './snapshot';
import type { JobContext } from '../jobs/runner';
import { plural } from '../../src-shared/rules/plural';

/**
 * The year-end archive (D-35, D-36, D-40): one school year's data in open formats that
 * outlive the program — CSV per table (UTF-8 with BOM, «;», as Excel opens it) and the same
 * as JSON, a schema file saying what each column means, and a manifest with every file's
 * SHA-256, signed with the school's Ed25519 key.
 *
 * Which rows belong to the year is read from the foreign keys, not from a list: rows
 * reaching `academic_year` through references (classes, loads, lessons, marks, …), then
 * the rows those refer to (students, subjects, staff), and the audit records of the year's
 * dates. Secrets (password hashes, private keys) never leave the database.
 */

const SECRET_COLUMN = /password|private|secret|token/i;

const TABLE_MEANING: Record<string, string> = {
  school: 'Школа',
  academic_year: 'Учебный год',
  study_period: 'Учебные периоды (четверти, триместры, полугодия)',
  holiday: 'Каникулы',
  subject: 'Учебные предметы',
  curriculum_hours: 'Учебный план: часов в неделю по предмету и параллели',
  school_class: 'Классы',
  student: 'Обучающиеся',
  enrollment: 'Зачисление в класс и движение обучающихся',
  consent: 'Согласия на обработку персональных данных',
  student_parent: 'Родители (законные представители) обучающихся',
  subgroup: 'Подгруппы класса по предмету',
  subgroup_member: 'Состав подгрупп с датами',
  teaching_load: 'Учебная нагрузка: класс × предмет × учитель',
  bell: 'Расписание звонков',
  timetable_entry: 'Расписание уроков',
  work_type: 'Виды работ и их веса',
  lesson: 'Проведённые уроки: дата, тема, домашнее задание',
  mark: 'Текущие отметки',
  attendance: 'Пропуски и опоздания (коды ОТ, ОП, УП, Б, НП)',
  final_mark: 'Итоговые отметки (за период, год, экзамен)',
  period_lock: 'Закрытие периодов',
  change_request: 'Запросы на исправление после срока',
  plan: 'Календарно-тематические планы (КТП): по нагрузке, статус согласования',
  plan_row: 'Уроки КТП: номер, раздел, тема, часы, дата по плану, домашнее задание',
  plan_correction: 'Корректировки утверждённых КТП с причиной',
  app_user: 'Сотрудники (без паролей)',
  audit_log: 'Журнал изменений: кто, когда, что, было → стало',
  backup_run: 'Журнал резервного копирования',
};

const COLUMN_MEANING: Record<string, string> = {
  id: 'номер записи',
  name: 'название',
  surname: 'фамилия',
  patronymic: 'отчество',
  full_name: 'ФИО',
  value: 'значение (отметка)',
  code: 'код',
  date: 'дата (ГГГГ-ММ-ДД, местная)',
  topic: 'тема урока',
  homework: 'домашнее задание',
  version: 'номер версии записи (служебное)',
  grade: 'параллель (класс 0–11)',
  letter: 'литера класса',
  kind: 'вид',
  comment: 'комментарий',
  reason: 'основание',
};

function describeColumn(table: TableInfo, column: string): string {
  const reference = table.foreignKeys.find((k) => k.column === column);
  if (reference) return `ссылка на ${reference.refTable}.${reference.refColumn}`;
  if (COLUMN_MEANING[column]) return COLUMN_MEANING[column]!;
  if (column.endsWith('_at')) return 'момент времени (UTC, ISO 8601)';
  if (column.endsWith('_on') || column.endsWith('_date')) return 'дата (ГГГГ-ММ-ДД, местная)';
  return '';
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Only text is escaped against formulas: numbers (a negative one too) stay numbers.
  const text = typeof value === 'string' ? escapeSpreadsheetText(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: string[], rows: Record<string, unknown>[]): Buffer {
  const lines = [columns.map(csvField).join(';'), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(';'))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

export interface ExportReport {
  folder: string;
  files: number;
  rows: number;
  yearClosed: boolean;
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

type AcademicYearRow = Selectable<Database['academic_year']>;

export const EXPORT_STEPS = {
  read: 'Чтение данных года',
  tables: 'Таблицы CSV и JSON',
  summary: 'Сводная ведомость',
  seal: 'Оглавление и подпись',
} as const;

export interface ExportOptions {
  now?: () => Date;
  userId?: number | null;
  /**
   * Run as a job (the app's «Выгрузить архив»): a step per part — the data read, the tables
   * written, each class's journal, the summary sheet, the signed manifest — and
   * «Остановить» between them: the archive is built in a hidden folder, removed on a stop,
   * so nothing appears where it was going.
   */
  job?: JobContext;
}

export async function exportYear(store: Store, yearName: string, to: string, options: ExportOptions = {}): Promise<ExportReport> {
  const job = options.job;
  if (!/^\d{4}\/\d{4}$/.test(yearName)) throw new AppError('validation', 'Учебный год в виде 2025/2026.');
  const now = (options.now ?? (() => new Date()))();
  const year = await store.db.selectFrom('academic_year').selectAll().where('name', '=', yearName).executeTakeFirst();
  if (!year) throw new AppError('not_found', `Учебный год ${yearName} не найден в базе данных.`);
  const school = await store.db.selectFrom('school').select(['name', 'time_zone']).where('id', '=', 1).executeTakeFirstOrThrow();
  const signing = await ensureSigningKey(store, now, options.userId ?? null);
  const classes = await store.db.selectFrom('school_class').select(['id', 'name']).where('year_id', '=', year.id).orderBy('grade').orderBy('letter').execute();
  job?.setTotal(3 + classes.length + (classes.length > 0 ? 1 : 0));
  job?.working(EXPORT_STEPS.read);

  const tables = await withSnapshotSource(store, async (source) => {
    const literal = `'${yearName}'`; // checked against ^\d{4}/\d{4}$ above
    const scoped = new Map<string, string>([['academic_year', `${quoteIdent('name')} = ${literal}`]]);
    for (const table of source.catalog) {
      if (scoped.has(table.name)) continue;
      const conditions = table.foreignKeys
        .filter((k) => scoped.has(k.refTable) && k.refTable !== table.name)
        .map((k) => `${quoteIdent(k.column)} in (select ${quoteIdent(k.refColumn)} from ${quoteIdent(k.refTable)} where ${scoped.get(k.refTable)})`);
      if (conditions.length > 0) scoped.set(table.name, conditions.map((c) => `(${c})`).join(' or '));
    }
    const included = new Map(scoped);
    for (const table of source.catalog) {
      if (scoped.has(table.name)) continue;
      const conditions: string[] = [];
      for (const child of source.catalog) {
        const childCondition = scoped.get(child.name);
        if (!childCondition) continue;
        for (const key of child.foreignKeys.filter((k) => k.refTable === table.name)) {
          conditions.push(`${quoteIdent(key.refColumn)} in (select ${quoteIdent(key.column)} from ${quoteIdent(child.name)} where ${childCondition})`);
        }
      }
      if (conditions.length > 0) included.set(table.name, conditions.map((c) => `(${c})`).join(' or '));
    }
    included.set('school', '1 = 1');
    if (source.catalog.some((t) => t.name === 'audit_log')) {
      included.set('audit_log', `${quoteIdent('at')} >= '${year.starts_on}' and ${quoteIdent('at')} < '${nextDay(year.ends_on)}'`);
    }
    const result: { table: TableInfo; columns: string[]; rows: Record<string, unknown>[] }[] = [];
    for (const table of source.catalog) {
      const condition = included.get(table.name);
      if (!condition) continue;
      const columns = table.columns.filter((c) => !SECRET_COLUMN.test(c));
      const order = (table.primaryKey.length > 0 ? table.primaryKey : columns).map(quoteIdent).join(', ');
      const rows = await source.run.all(`select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(table.name)} where ${condition} order by ${order}`);
      result.push({ table, columns, rows });
    }
    return result;
  });
  job?.unitDone({ label: EXPORT_STEPS.read, summary: `${tables.reduce((sum, t) => sum + t.rows.length, 0).toLocaleString('ru-RU')} строк` });
  job?.signal.throwIfAborted();

  const baseName = `zhurnal-archive-${yearName.replace('/', '-')}`;
  let folderName = baseName;
  for (let n = 2; existsSync(join(to, folderName)); n++) folderName = `${baseName}-${n}`;
  const finalFolder = join(to, folderName);
  const temporary = join(to, `.${folderName}.partial`);
  await fs.rm(temporary, { recursive: true, force: true });
  const files: { path: string; sha256: string; bytes: number; rows?: number }[] = [];
  async function put(relative: string, content: Buffer, rows?: number) {
    await fs.writeFile(join(temporary, relative), content);
    files.push({ path: relative, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length, ...(rows === undefined ? {} : { rows }) });
  }
  let totalRows = 0;
  try {
    await writeArchive(year);
  } catch (error) {
    // A stop or a failure leaves nothing behind: the hidden folder goes.
    await fs.rm(temporary, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  job?.unitDone({ label: EXPORT_STEPS.seal, fileName: folderName });
  return { folder: finalFolder, files: files.length, rows: totalRows, yearClosed: year.closed_at !== null };

  async function writeArchive(year: AcademicYearRow): Promise<void> {
    await fs.mkdir(join(temporary, 'csv'), { recursive: true });
    await fs.mkdir(join(temporary, 'json'), { recursive: true });

    const schemaLines = [
      `Архив учебного года ${yearName} — ${school.name}`,
      `Создан ${now.toISOString()} программой «Журнал» ${appVersion()}.`,
      '',
      'Файлы csv/*.csv: UTF-8 с BOM, разделитель «;», первая строка — имена столбцов; пустое поле — нет значения.',
      'Файлы json/*.json: те же строки как массив объектов.',
      'Даты — ГГГГ-ММ-ДД по местному времени школы; моменты времени — ISO 8601 в UTC.',
      'Пароли и закрытые ключи в архив не входят.',
      '',
    ];
    for (const { table, columns, rows } of tables) {
      await put(`csv/${table.name}.csv`, toCsv(columns, rows), rows.length);
      await put(`json/${table.name}.json`, Buffer.from(JSON.stringify(rows, null, 1), 'utf8'), rows.length);
      totalRows += rows.length;
      schemaLines.push(`${table.name} — ${TABLE_MEANING[table.name] ?? 'таблица'} (строк: ${rows.length})`);
      for (const column of columns) {
        const meaning = describeColumn(table, column);
        schemaLines.push(`  ${column} (${table.types[column] ?? ''})${meaning ? ` — ${meaning}` : ''}`);
      }
      schemaLines.push('');
    }
    await put('schema.txt', Buffer.from(schemaLines.join('\r\n'), 'utf8'));
    job?.unitDone({ label: EXPORT_STEPS.tables, summary: `${tables.length} ${plural(tables.length, 'таблица', 'таблицы', 'таблиц')}` });

    // D-35/D-36: the journals as PDF per class and the year's summary sheet, from «Printing».
    // A PDF that fails is listed in the README; the data above is complete without it.
    const notPrinted: string[] = [];
    if (classes.length > 0) await fs.mkdir(join(temporary, 'pdf'), { recursive: true });
    for (const schoolClass of classes) {
      job?.signal.throwIfAborted();
      const label = `Журнал ${schoolClass.name}`;
      job?.working(label);
      try {
        const printed = await printClassJournal(store, { classId: schoolClass.id, period: 'year' });
        const fileName = `journal-${safeFileName(schoolClass.name)}.pdf`;
        if (printed.bytes) await put(`pdf/${fileName}`, printed.bytes);
        job?.unitDone(printed.bytes ? { label, fileName } : { label, status: 'skipped', message: 'нечего печатать' });
      } catch (error) {
        notPrinted.push(`журнал ${schoolClass.name}: ${(error as Error).message}`);
        job?.unitDone({ label, status: 'failed', message: (error as Error).message });
      }
    }
    if (classes.length > 0) {
      job?.signal.throwIfAborted();
      job?.working(EXPORT_STEPS.summary);
      try {
        const summary = await printYearSummary(store, { scope: { yearId: year.id } });
        if (summary.bytes) await put('pdf/summary-sheets.pdf', summary.bytes);
        job?.unitDone({ label: EXPORT_STEPS.summary, fileName: summary.bytes ? 'summary-sheets.pdf' : null });
      } catch (error) {
        notPrinted.push(`сводная ведомость: ${(error as Error).message}`);
        job?.unitDone({ label: EXPORT_STEPS.summary, status: 'failed', message: (error as Error).message });
      }
    }
    job?.signal.throwIfAborted();
    job?.working(EXPORT_STEPS.seal);

    const manifest = {
      format: 'zhurnal-year-archive',
      version: 1,
      school: { name: school.name, timeZone: school.time_zone },
      year: { name: year.name, startsOn: year.starts_on, endsOn: year.ends_on, closedAt: year.closed_at },
      createdAt: now.toISOString(),
      appVersion: appVersion(),
      signingPublicKeyFingerprint: signing.fingerprint,
      files,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
    await fs.writeFile(join(temporary, 'manifest.json'), manifestBytes);
    await fs.writeFile(join(temporary, 'manifest.sig'), sign(null, manifestBytes, signing.privateKey));
    await fs.writeFile(join(temporary, 'public-key.pem'), signing.publicKeyPem);
    await fs.writeFile(
      join(temporary, 'README.txt'),
      [
        `Архив учебного года ${yearName}, ${school.name}.`,
        '',
        'Проверка подлинности (подпись Ed25519 ключом школы):',
        '  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig',
        `Отпечаток ключа школы (сравните с напечатанным в разделе «Резервные копии»): ${signing.fingerprint}`,
        '',
        'Проверка целостности: SHA-256 каждого файла указан в manifest.json (sha256sum csv/*.csv).',
        'Описание таблиц и столбцов — schema.txt. Журналы классов и сводная ведомость — pdf/.',
        ...(notPrinted.length > 0 ? ['', 'Не напечатано:', ...notPrinted.map((line) => `  ${line}`)] : []),
      ].join('\r\n'),
    );
    // The last moment to stop: after the rename the archive is complete and in place.
    job?.signal.throwIfAborted();
    await fs.rename(temporary, finalFolder);
  }
}
