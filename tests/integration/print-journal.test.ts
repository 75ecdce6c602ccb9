import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import { printClassJournal } from '../../src-main/printing/class-journal';
import { numberInWords, sheetsPhrase } from '../../src-main/printing/russian-numbers';
import { printSchool } from '../../src-main/printing/school';
import type { TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { createPrintFixture, LONG_NAME, signInAs, type PrintFixture } from '../support/print-fixture';
import { PdfFile } from '../support/pdf-file';

// The printed class journal, checked the way a deputy would check the sewn copy: by what is
// on the pages (pdftotext), how many pages there are (pdfinfo), and by its SHA-256.

const work = mkdtempSync(join(tmpdir(), 'zhurnal-print-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function savePdf(name: string, base64OrBytes: string | Buffer): string {
  const file = join(work, name);
  writeFileSync(file, typeof base64OrBytes === 'string' ? Buffer.from(base64OrBytes, 'base64') : base64OrBytes);
  return file;
}

function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

/** The text of a page range, whitespace collapsed (wrapped cells read as one line). */
function pdfText(file: string, first?: number, last?: number): string {
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  return execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
}

function rawPageTexts(file: string): string[] {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\f');
}

describe('sheet count in words (the certification)', () => {
  it('reads «лист» in the right form after every number', () => {
    expect(sheetsPhrase(1)).toBe('1 (один) лист');
    expect(sheetsPhrase(21)).toBe('21 (двадцать один) лист');
    expect(sheetsPhrase(22)).toBe('22 (двадцать два) листа');
    expect(sheetsPhrase(25)).toBe('25 (двадцать пять) листов');
    expect(sheetsPhrase(11)).toBe('11 (одиннадцать) листов');
    expect(sheetsPhrase(114)).toBe('114 (сто четырнадцать) листов');
    expect(sheetsPhrase(243)).toBe('243 (двести сорок три) листа');
    expect(numberInWords(2001)).toBe('две тысячи один');
  });
});

describe.each(engines)('printing the class journal on %s', (engine) => {
  let t: TestCore;
  let fx: PrintFixture;
  let deputy: TestSession;

  beforeAll(async () => {
    t = await startTestCore(engine);
    fx = await createPrintFixture(t.core);
    deputy = await signInAs(t.core, fx.users.deputy.login);
  });
  afterAll(async () => t.close());

  it('the deputy prints a quarter: names, marks, topics, page numbers and a certification that counts its own sheets', async () => {
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, duplex: false });
    const file = savePdf(`${engine}-simplex.pdf`, printed.pdfBase64);
    const pages = pdfPages(file);
    expect(printed.pages).toBe(pages);
    expect(printed.sheets).toBe(pages);

    const text = pdfText(file);
    expect(text).toContain('МАОУ «Средняя общеобразовательная школа № 7»');
    expect(text).toContain('КЛАССНЫЙ ЖУРНАЛ');
    expect(text).toContain('Классный руководитель: Кузнецова Анна Викторовна');
    expect(text).toContain('I четверть (01.09.2025 – 24.10.2025)');
    // Every subject by its full name, the subgroups apart.
    for (const subject of ['Русский язык', 'Литература', 'Математика', 'История России. Всеобщая история', 'Основы духовно-нравственной культуры народов России']) {
      expect(text).toContain(subject);
    }
    expect(text).toContain('Иностранный язык (английский), 1 группа — Соколова Мария Андреевна');
    expect(text).toContain('Иностранный язык (английский), 2 группа — Волков Павел Сергеевич');
    // Students, the longest name whole; arrivals and departures noted.
    expect(text).toContain(LONG_NAME.surname);
    expect(text).toContain(LONG_NAME.name);
    expect(text).toContain('(прибыл 06.10.2025, приказ № 12-у)');
    expect(text).toContain('(выбыла 10.10.2025, приказ № 15-у)');
    // Marks, several in a cell, special marks and every absence code as entered.
    expect(text).toMatch(/ [2-5] [2-5] [2-5] /);
    for (const code of ['осв', 'н/а', 'ОТ', 'ОП', 'УП', 'Б', 'НП']) expect(text).toContain(` ${code} `);
    // Lessons: topics (the long one wraps but stays whole), homework, the substitution.
    expect(text).toContain('Тема урока 1: новый материал и упражнения');
    expect(text).toContain('Решение текстовых задач на совместную работу');
    expect(text).toContain('проверка решения подстановкой и обсуждение ошибок самостоятельной работы');
    expect(text).toContain('§ 5, упр. 105');
    expect(text).toMatch(/замена: Морозова Татьяна Олеговна/);
    // Summary sheets.
    expect(text).toContain('Сводная ведомость учета успеваемости учащихся');
    expect(text).toContain('Сводная ведомость учета посещаемости');
    expect(text).toContain('Всего по классу');
    // Every page numbered.
    const perPage = rawPageTexts(file);
    for (let page = 1; page <= pages; page++) expect(perPage[page - 1]!.replace(/\s+/g, ' ')).toContain(`Страница ${page} из ${pages}`);
    // The last sheet: N in digits and in words equals the real count.
    const last = pdfText(file, pages);
    expect(last).toContain(`пронумеровано, прошнуровано и скреплено печатью ${pages} (${numberInWords(pages)}) лист`);
    expect(last).toContain(sheetsPhrase(pages));
    expect(last).toContain('Орлова Галина Николаевна');
    expect(last).toContain('М.П.');
    // Contents: the page printed beside «Математика» is where its marks page is.
    const contents = pdfText(file, 2);
    const mathPage = Number(/Математика — Петров Иван Ильич (\d+)/.exec(contents)![1]);
    expect(pdfText(file, mathPage)).toContain('Математика Учитель: Петров Иван Ильич · Учет успеваемости и посещаемости');
    expect(pdfText(file, mathPage + 1)).toContain('Что пройдено на уроке');

    if (engine === 'sqlite') {
      // Two pages to look at, kept with the tests: the math marks page and its lessons page.
      const artifacts = join(process.cwd(), 'tests', 'artifacts', 'print');
      mkdirSync(artifacts, { recursive: true });
      execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', String(mathPage), '-l', String(mathPage), file, join(artifacts, 'marks-page')]);
      execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', String(mathPage + 1), '-l', String(mathPage + 1), file, join(artifacts, 'lessons-page')]);
    }
  });

  it('duplex: the sheet count is half the pages, in digits and in words', async () => {
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, duplex: true });
    const file = savePdf(`${engine}-duplex.pdf`, printed.pdfBase64);
    const pages = pdfPages(file);
    expect(printed.pages).toBe(pages);
    expect(printed.sheets).toBe(Math.ceil(pages / 2));
    const last = pdfText(file, pages);
    expect(last).toContain(`скреплено печатью ${sheetsPhrase(Math.ceil(pages / 2))}`);
    expect(last).toContain(`Печать двусторонняя: ${pages} стр.`);
  });

  it('the same data printed twice on the same day gives the same bytes and the same SHA-256', async () => {
    const first = await printClassJournal(t.core.store, { classId: fx.classId, period: { number: 1 }, now: new Date('2026-10-14T01:00:00.000Z') });
    const second = await printClassJournal(t.core.store, { classId: fx.classId, period: { number: 1 }, now: new Date('2026-10-14T10:00:00.000Z') });
    expect(first.bytes!.equals(second.bytes!)).toBe(true);
    expect(first.sha256).toBe(second.sha256);
    // Printed for the record, the certification names its own print-log entry; every page before it is the same.
    const viaMethod = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, duplex: false });
    expect(viaMethod.fingerprint).toBe(first.fingerprint);
    expect(viaMethod.pages).toBe(first.pages);
  });

  it('who may print: a teacher their own subject only, the class teacher their class, the deputy anything', async () => {
    const math = await signInAs(t.core, fx.users.math.login);
    const whole = await math.fails('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    expect(whole.kind).toBe('forbidden');
    const other = await math.fails('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, subjectId: fx.subjects.history });
    expect(other).toMatchObject({ kind: 'forbidden', message: 'Этот предмет ведёт другой учитель: распечатать можно только страницы своего предмета.' });
    expect((await math.fails('print.summary', { scope: 'class', classId: fx.classId })).kind).toBe('forbidden');

    const own = await math.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, subjectId: fx.subjects.math });
    const ownText = pdfText(savePdf(`${engine}-math-only.pdf`, own.pdfBase64));
    expect(ownText).toContain('Страницы предмета: Математика');
    expect(ownText).toContain('Что пройдено на уроке');
    expect(ownText).not.toContain('История России');
    expect(ownText).toContain(`печатью ${sheetsPhrase(own.sheets)}`);

    const classTeacher = await signInAs(t.core, fx.users.classTeacher.login);
    const full = await classTeacher.ok('print.classJournal', { classId: fx.classId, period: 'year' });
    const yearText = pdfText(savePdf(`${engine}-year.pdf`, full.pdfBase64));
    expect(yearText).toContain('2025/2026 учебный год');
    expect(yearText).toContain('Математика');
    await classTeacher.ok('print.summary', { scope: 'class', classId: fx.classId });
    expect((await classTeacher.fails('print.summary', { scope: 'school', yearId: fx.yearId })).kind).toBe('forbidden');

    const director = await signInAs(t.core, fx.users.director.login);
    await director.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, subjectId: fx.subjects.history });
  });

  it('the print log and the audit record who printed what, when, with the SHA-256', async () => {
    t.clock.set('2025-10-27T06:15:00.000Z');
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, duplex: true });
    const log = await deputy.ok('print.log', { sha256: printed.sha256 });
    expect(log[0]).toMatchObject({
      id: printed.logId,
      at: '2025-10-27T06:15:00.000Z',
      userName: 'Белова Светлана Игоревна',
      document: 'class_journal',
      classId: fx.classId,
      sha256: printed.sha256,
      pages: printed.pages,
      sheets: printed.sheets,
      options: { duplex: true, bindingMarginMm: 20 },
    });
    const audit = await t.core.store.db.selectFrom('audit_log').selectAll().where('entity', '=', 'print_log').where('entity_id', '=', String(printed.logId)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('print.class_journal');
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ sha256: printed.sha256, sheets: printed.sheets });
    // A teacher sees only their own prints.
    const math = await signInAs(t.core, fx.users.math.login);
    expect((await math.ok('print.log', {})).every((entry) => entry.userId === fx.users.math.id)).toBe(true);
  });

  it('the yearly summary sheet of marks, for a class and for the whole school', async () => {
    const forClass = await deputy.ok('print.summary', { scope: 'class', classId: fx.classId });
    const classText = pdfText(savePdf(`${engine}-summary-class.pdf`, forClass.pdfBase64));
    expect(classText).toContain('Сводная ведомость учета успеваемости учащихся 5А класса');
    expect(classText).toContain('за 2025/2026 учебный год');
    expect(classText).toContain(LONG_NAME.surname);
    expect(classText).toContain('Год');
    expect(classText).toContain('Основы духовно-нравственной культуры народов России');
    const forSchool = await deputy.ok('print.summary', { scope: 'school', yearId: fx.yearId });
    const schoolText = pdfText(savePdf(`${engine}-summary-school.pdf`, forSchool.pdfBase64));
    expect(schoolText).toContain('СВОДНАЯ ВЕДОМОСТЬ УЧЕТА УСПЕВАЕМОСТИ УЧАЩИХСЯ');
    expect(schoolText).toContain('Срок хранения — 25 лет.');
    expect(forSchool.pages).toBe(pdfPages(join(work, `${engine}-summary-school.pdf`)));
  });

  it('the whole school: one PDF per class into a folder, with progress, and cancel leaves no partial file', async () => {
    const second = await createPrintFixture(t.core, { admin: fx.admin, className: '6Б', studentCount: 12, seed: 11 });
    const outDir = join(work, `${engine}-school`);
    const progress: string[] = [];
    const result = await printSchool(t.core.store, {
      yearId: fx.yearId,
      period: { number: 1 },
      outDir,
      record: { userId: null, source: 'cli', now: t.clock.now },
      onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.className}`),
    });
    expect(result.cancelled).toBe(false);
    expect(progress).toEqual(['1/2 5А', '2/2 6Б']);
    expect(readdirSync(outDir).sort()).toEqual(['Журнал 5А, I четверть 2025-2026.pdf', 'Журнал 6Б, I четверть 2025-2026.pdf']);
    const sixth = join(outDir, 'Журнал 6Б, I четверть 2025-2026.pdf');
    expect(pdfPages(sixth)).toBe(result.files[1]!.pages);
    expect(pdfText(sixth)).toContain('6Б класс');
    // Streamed to disk, yet the same pages as in memory (the file's certification adds its print-log number).
    const inMemory = await printClassJournal(t.core.store, { classId: second.classId, period: { number: 1 }, now: t.clock.now() });
    expect(PdfFile.read(sixth).fingerprintOfFirstPages(inMemory.pages - 1)).toBe(inMemory.fingerprint);
    const unrecorded = await printSchool(t.core.store, { yearId: fx.yearId, period: { number: 1 }, outDir: join(work, `${engine}-school-unrecorded`), record: null });
    const unrecordedSixth = readFileSync(unrecorded.files[1]!.file);
    const inMemoryToday = await printClassJournal(t.core.store, { classId: second.classId, period: { number: 1 } });
    expect(unrecordedSixth.equals(inMemoryToday.bytes!)).toBe(true);

    const cancelDir = join(work, `${engine}-cancelled`);
    const controller = new AbortController();
    const cancelled = await printSchool(t.core.store, {
      yearId: fx.yearId,
      period: { number: 1 },
      outDir: cancelDir,
      record: null,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(cancelled.cancelled).toBe(true);
    expect(readdirSync(cancelDir)).toEqual(['Журнал 5А, I четверть 2025-2026.pdf']);
  });

  it('CLI: zhurnal print for a class, for all classes, and the summary sheet', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`! ${line}`), env: {}, askSecret: async () => null };
    const file = join(work, `${engine}-cli-5a.pdf`);
    expect(await runCli(['print', '--db', t.url, '--class', '5а', '--period', '1', '--year', '2025/2026', '--out', file, '--duplex'], io)).toBe(0);
    const pages = pdfPages(file);
    expect(lines.join('\n')).toContain(`${sheetsPhrase(Math.ceil(pages / 2))}`);
    const dir = join(work, `${engine}-cli-all`);
    lines.length = 0;
    expect(await runCli(['print', '--db', t.url, '--all', '--period', '1', '--out', dir], io)).toBe(0);
    expect(lines.some((line) => line.startsWith('[1/'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^Готово: классов — \d+/);
    const summary = join(work, `${engine}-cli-summary.pdf`);
    expect(await runCli(['print', '--db', t.url, '--summary', '--class', '5А', '--out', summary], io)).toBe(0);
    expect(existsSync(summary)).toBe(true);
    lines.length = 0;
    expect(await runCli(['print', '--db', t.url, '--class', '5А', '--period', '7', '--out', join(work, 'x.pdf')], io)).toBe(1);
    expect(lines.join('\n')).toContain('нет периода № 7');
    expect(existsSync(join(work, 'x.pdf'))).toBe(false);
    // CLI prints are in the print log too.
    const log = await deputy.ok('print.log', { limit: 1000 });
    expect(log.some((entry) => entry.source === 'cli' && entry.fileName === file)).toBe(true);
  });
});
