import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import { headsFingerprint, readHeadsAt } from '../../src-main/audit/anchors';
import { ADMIN, signIn, type TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { sheetsPhrase } from '../../src-main/printing/russian-numbers';
import { PdfFile } from '../support/pdf-file';
import { createPrintFixture, signInAs, type PrintFixture } from '../support/print-fixture';

// The printed journal as a deputy seals it and an archivist accepts it: truthful dates, the
// preliminary version told apart, the certification tied to its print-log entry and file.

const work = mkdtempSync(join(tmpdir(), 'zhurnal-archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function save(name: string, base64: string): string {
  const file = join(work, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

function pdfPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

function pageTexts(file: string): string[] {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\f')
    .slice(0, -1)
    .map((page) => page.replace(/\s+/g, ' '));
}

describe.each(engines)('the archive copy of the journal on %s', (engine) => {
  let t: TestCore;
  let fx: PrintFixture;
  let deputy: TestSession;

  beforeAll(async () => {
    t = await startTestCore(engine);
    fx = await createPrintFixture(t.core);
    deputy = await signInAs(t.core, fx.users.deputy.login);
  });
  afterAll(async () => t.close());

  it('a quarter not yet over prints only as preliminary, and the final print is refused naming why', async () => {
    // 20.10.2025 at 13:15 in Tomsk (the school's zone, UTC+7): the I quarter runs to 24.10.2025.
    t.clock.set('2025-10-20T06:15:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    expect(printed.preliminary).toBe(true);
    expect(printed.missing).toEqual(['период «I четверть» ещё не окончен (последний день — 24.10.2025)']);
    const file = save(`${engine}-preliminary.pdf`, printed.pdfBase64);
    const pages = pageTexts(file);
    expect(pages).toHaveLength(pdfPages(file));
    for (const page of pages) expect(page).toContain('ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива');
    expect(pages[0]).toContain('Документ сформирован 20.10.2025');
    expect(pages[0]).not.toContain('по данным на 24.10.2025');
    // The PDF's own creation date is the day it was made, not the quarter's last day.
    expect(execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' })).toMatch(/CreationDate:\s+2025-10-20/);

    const logBefore = await deputy.ok('print.log', { limit: 1000 });
    const refused = await deputy.fails('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, final: true });
    expect(refused.kind).toBe('validation');
    expect(refused.message).toContain('нельзя распечатать для архива: период «I четверть» ещё не окончен (последний день — 24.10.2025)');
    // A refused print leaves nothing in the print log.
    expect(await deputy.ok('print.log', { limit: 1000 })).toEqual(logBefore);
  });

  it('missing finals keep a finished quarter preliminary, naming the subject and how many', async () => {
    // One math final of the quarter not yet set: taken out of the fixture, then set by the teacher.
    const db = t.core.store.db;
    const final = await db.selectFrom('final_mark').selectAll().where('load_id', '=', fx.loads.math).where('period_id', '=', fx.quarterIds[0]!).orderBy('student_id').executeTakeFirstOrThrow();
    await db.deleteFrom('final_mark').where('id', '=', final.id).execute();
    t.clock.set('2025-10-27T03:40:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    expect(printed.preliminary).toBe(true);
    expect(printed.missing).toEqual(['не выставлены итоговые отметки за I четверть: Математика (нет у 1 учащегося)']);
    const refused = await deputy.fails('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, final: true });
    expect(refused.message).toContain('не выставлены итоговые отметки за I четверть: Математика (нет у 1 учащегося)');
    const math = await signInAs(t.core, fx.users.math.login);
    await math.ok('journal.setFinal', { loadId: fx.loads.math, studentId: final.student_id, kind: 'period', periodId: fx.quarterIds[0]!, value: '4', version: 0, idempotencyKey: randomUUID() });
  });

  it('a finished quarter prints as final; the certification carries its print-log number and the fingerprint of the pages before it', async () => {
    t.clock.set('2025-10-28T02:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, final: true });
    expect(printed.preliminary).toBe(false);
    const file = save(`${engine}-final.pdf`, printed.pdfBase64);
    const pages = pageTexts(file);
    const count = pdfPages(file);
    expect(printed.pages).toBe(count);
    for (const page of pages) expect(page).not.toContain('ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ');
    expect(pages[0]).toContain('Документ сформирован 28.10.2025');
    // The latest entry is the math teacher's final of 27.10.2025, 10:40 in Tomsk.
    expect(pages[0]).toContain('данные по состоянию на 27.10.2025 в 10:40');

    // Dense like the paper journal: every marks page but a subject's last holds at least 25 dates.
    const mathPages = pages.flatMap((page, i) => (page.includes('Математика Учитель: Петров Иван Ильич · Учет успеваемости') ? [i + 1] : []));
    const lessonsOnPage = (page: number) => {
      const layout = execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).split('\n');
      // The header row of day numbers: 1 … 31, one per lesson column.
      const days = layout.find((line) => /^\s*(\d{1,2}\s+){10,}\d{1,2}\s*$/.test(line))!;
      return days.trim().split(/\s+/).length;
    };
    // Math is daily: the quarter's 40 school days make 26 dates on the first page, 14 on the last.
    expect(mathPages.map(lessonsOnPage)).toEqual([26, 14]);
    // The contents page keys the codes; the title page gives the archive's details.
    expect(pages[1]).toContain('Условные обозначения');
    expect(pages[1]).toContain('Б — пропуск по болезни');
    expect(pages[1]).toContain('н/а — не аттестован');
    expect(pages[1]).toContain('отср. — итоговая отметка отсрочена');
    expect(pages[0]).toContain('Срок хранения — 5 лет');
    expect(pages[0]).toContain('Первая запись — 01.09.2025, последняя запись — 24.10.2025');
    // Each subject's last lessons page carries its teacher's signature line; after the last subject, the inspection page.
    expect(pages[mathPages[1]!]).toMatch(/Учитель .*Петров И\. И\./);
    expect(pages[mathPages[1]!]).toContain('(подпись)');
    if (engine === 'sqlite') {
      for (const [name, page] of [['dense-marks-page', mathPages[0]!], ['contents-page', 2], ['title-page', 1]] as const) {
        execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', String(page), '-l', String(page), file, join(process.cwd(), 'tests', 'artifacts', 'print', name)]);
      }
    }
    expect(pages.some((page) => page.includes('Замечания по ведению журнала Дата Замечания и предложения проверяющего'))).toBe(true);

    // The fingerprint printed is recomputed here from the file: the first 16 hex digits of the
    // SHA-256 of the content streams of every page before the certification.
    const fingerprint = PdfFile.read(file).fingerprintOfFirstPages(count - 1);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(printed.fingerprint).toBe(fingerprint);
    const certification = pages[count - 1]!;
    expect(certification).toContain('Заверительная надпись');
    expect(certification).toContain(`Номер записи в журнале печати: ${printed.logId}.`);
    expect(certification).toContain(`(первые 16 знаков SHA-256): ${fingerprint}.`);
    // PDF/A-2b for the electronic archive: the XMP packet identifies it, the fonts are embedded, sRGB is the output intent.
    const pdf = PdfFile.read(file);
    const xmp = pdf.metadata()!;
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${printed.title}</rdf:li>`);
    expect(xmp).toContain('<xmp:CreateDate>2025-10-28T00:00:00Z</xmp:CreateDate>');
    expect(pdf.catalog).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/PDF version:\s+1\.7/);

    // The record matches the file.
    const [entry] = await deputy.ok('print.log', { sha256: printed.sha256 });
    expect(entry).toMatchObject({ id: printed.logId, pages: count, sheets: count, sha256: printed.sha256 });
  });

  it('a mark changed after the quarter moves the «данные по состоянию на» moment', async () => {
    t.clock.set('2025-10-29T08:05:00.000Z');
    const mark = await t.core.store.db
      .selectFrom('mark as m')
      .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
      .select(['m.id', 'm.lesson_id', 'm.student_id', 'm.version', 'm.work_type_id'])
      .where('l.load_id', '=', fx.loads.math)
      .where('m.value', '=', '3')
      // Within the fortnight a teacher may still correct on their own.
      .where('l.date', '>=', '2025-10-20')
      .orderBy('m.id')
      .executeTakeFirstOrThrow();
    // The administrator reopens the closed quarter for the correction, as the rules want.
    const admin = await signIn(t.core, ADMIN.login, ADMIN.password);
    await admin.ok('journal.reopenPeriod', { loadId: fx.loads.math, periodId: fx.quarterIds[0]!, reason: 'Исправление ошибки в отметке по заявлению родителей' });
    const math = await signInAs(t.core, fx.users.math.login);
    await math.ok('journal.saveMark', { lessonId: mark.lesson_id, studentId: mark.student_id, markId: mark.id, version: mark.version, value: '4', workTypeId: mark.work_type_id, idempotencyKey: randomUUID() });
    t.clock.set('2025-10-30T02:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    const title = pageTexts(save(`${engine}-changed.pdf`, printed.pdfBase64))[0]!;
    // 08:05 UTC is 15:05 in Tomsk.
    expect(title).toContain('данные по состоянию на 29.10.2025 в 15:05');
    expect(title).toContain('Документ сформирован 30.10.2025');
  });

  it('zhurnal print says which version it wrote; --final exits 1 with the reason and writes nothing', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`! ${line}`), env: {}, askSecret: async () => null };
    const year = join(work, `${engine}-cli-year.pdf`);
    expect(await runCli(['print', '--db', t.url, '--class', '5А', '--period', 'year', '--year', '2025/2026', '--out', year], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/Предварительная версия — не для архива: .*не выставлены итоговые отметки за год/);
    lines.length = 0;
    const refused = join(work, `${engine}-cli-year-final.pdf`);
    expect(await runCli(['print', '--db', t.url, '--class', '5А', '--period', 'year', '--year', '2025/2026', '--out', refused, '--final'], io)).toBe(1);
    expect(lines.join('\n')).toContain('нельзя распечатать для архива');
    expect(existsSync(refused)).toBe(false);
    expect(existsSync(`${refused}.part`)).toBe(false);
    lines.length = 0;
    const quarter = join(work, `${engine}-cli-q1.pdf`);
    expect(await runCli(['print', '--db', t.url, '--class', '5А', '--period', '1', '--year', '2025/2026', '--out', quarter, '--final'], io)).toBe(0);
    expect(lines).toContain('Окончательная версия для архива.');
  });
  it('two students of the same name print apart; a departed student is noted with the order and dashed after leaving', async () => {
    const db = t.core.store.db;
    const add = async (patronymic: string, birthDate: string, departure: { on: string; order: string } | null) => {
      const student = await db
        .insertInto('student')
        .values({ surname: 'Новиков', name: 'Вадим', patronymic, birth_date: birthDate, gender: 'м', created_at: '2025-08-25T05:00:00.000Z' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('enrollment')
        .values({ student_id: student.id, class_id: fx.classId, arrived_on: '2025-09-01', arrival_order: '№ 1-у', departed_on: departure?.on ?? null, departure_order: departure?.order ?? '' })
        .execute();
    };
    await add('Петрович', '2014-03-01', null);
    await add('Павлович', '2014-07-02', null);
    await add('Сергеевич', '2014-11-20', { on: '2025-09-15', order: '4-у' });

    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]!, subjectId: fx.subjects.history });
    const file = save(`${engine}-namesakes.pdf`, printed.pdfBase64);
    const marksPage = pageTexts(file).findIndex((page) => page.includes('Учет успеваемости и посещаемости')) + 1;
    const text = pageTexts(file)[marksPage - 1]!;
    // Same name and patronymic initial: the birth date tells them apart; a different initial is enough.
    expect(text).toContain('Новиков Вадим П., 01.03.2014 г. р.');
    expect(text).toContain('Новиков Вадим П., 02.07.2014 г. р.');
    expect(text).toContain('Новиков Вадим С. (выбыл 15.09.2025, приказ № 4-у)');
    expect(text).not.toContain('Новиков Вадим С.,');

    // History is on Tuesdays and Thursdays: after 15.09 the quarter has 16, 18, 23, 25, 30.09
    // and 2, 7, 9, 14, 16, 21, 23.10 — twelve lessons, each cell of his row dashed.
    const marksPages = pageTexts(file).flatMap((page, i) => (page.includes('Учет успеваемости и посещаемости') ? [i + 1] : []));
    let dashes = 0;
    for (const page of marksPages) {
      const layout = execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).split('\n');
      const at = layout.findIndex((line) => line.includes('Новиков Вадим С.'));
      dashes += (layout.slice(Math.max(0, at - 1), at + 2).join(' ').match(/—/g) ?? []).length;
    }
    expect(dashes).toBe(12);

    const summary = await deputy.ok('print.summary', { scope: 'class', classId: fx.classId });
    const summaryText = pageTexts(save(`${engine}-namesakes-summary.pdf`, summary.pdfBase64)).join(' ');
    expect(summaryText).toContain('Новиков Вадим П., 01.03.2014 г. р.');
    expect(summaryText).toContain('Новиков Вадим П., 02.07.2014 г. р.');
  });
  it('the yearly summary: preliminary until the year\'s finals are set, empty cells struck through, each class\'s sheets certified', async () => {
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.summary', { scope: 'class', classId: fx.classId });
    expect(printed.preliminary).toBe(true);
    expect(printed.missing.join(' ')).toContain('5А класс: 2025/2026 учебный год ещё не окончен (последний день — 31.05.2026); не выставлены итоговые отметки за год: Русский язык');
    const file = save(`${engine}-summary.pdf`, printed.pdfBase64);
    const pages = pageTexts(file);
    const count = pdfPages(file);
    for (const page of pages) expect(page).toContain('ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива');
    expect(pages[0]).toContain('Срок хранения — 25 лет');
    expect(pages.join(' ')).toContain('Решение педагогического совета о переводе');
    const certification = pages[count - 1]!;
    expect(certification).toContain('Заверительная надпись');
    expect(certification).toContain(`В сводной ведомости учета успеваемости учащихся 5А класса за 2025/2026 учебный год пронумеровано, прошнуровано и скреплено печатью ${sheetsPhrase(count)}.`);
    expect(certification).toContain('М.П.');
    expect(certification).toContain(`Номер записи в журнале печати: ${printed.logId}.`);
    expect(certification).toContain(PdfFile.read(file).fingerprintOfFirstPages(count - 1));
    const refused = await deputy.fails('print.summary', { scope: 'class', classId: fx.classId, final: true });
    expect(refused.message).toContain('не выставлены итоговые отметки за год');
  });
  it('the certification shows the history as of the latest change; the print log recomputes it, and the fingerprint of a moment differs once the history before it is cut back', async () => {
    t.clock.set('2025-11-05T04:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    const pages = pageTexts(save(`${engine}-history.pdf`, printed.pdfBase64));
    const line = /Отпечаток журнала изменений на (\d\d\.\d\d\.\d{4}) в (\d\d:\d\d): ([0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4})/.exec(pages.at(-1)!);
    expect(line).not.toBeNull();
    const onPaper = line![3]!;
    const entryOf = async () => (await deputy.ok('print.log', { limit: 1000 })).find((e) => e.id === printed.logId)!;
    expect((await entryOf()).historyNow).toBe(onPaper);

    // Work goes on after the print: the history grows, the fingerprint of the printed moment stays.
    const math = await signInAs(t.core, fx.users.math.login);
    await math.ok('journal.myLoads', {});
    expect((await entryOf()).historyNow).toBe(onPaper);

    // The anchor's meaning, on a timeline that runs forward (the fixture's own history is
    // stamped with the test clock's default, after the school dates it writes): the heads
    // as of a moment stay what they were at that moment while work goes on, and differ once
    // the records before it are cut back.
    const db = t.core.store.db;
    t.clock.set('2027-01-11T04:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    const moment = '2027-01-11T04:30:00.000Z';
    const headsThen = await db.selectFrom('audit_head').select(['id', 'last_id', 'last_hash']).orderBy('id').execute();
    t.clock.set('2027-01-11T05:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    await deputy.ok('print.classJournal', { classId: fx.classId, period: fx.quarterIds[0]! });
    const asThen = await readHeadsAt(db, moment);
    expect(asThen).toEqual(headsThen.map((h) => [h.id, h.last_id, h.last_hash]));
    const newest = await db.selectFrom('audit_log').select(['id']).where('at', '<=', moment).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('id', '=', newest.id).execute();
    expect(headsFingerprint(await readHeadsAt(db, moment))).not.toBe(headsFingerprint(asThen));
  });

  it('the yearly summary prints as final once the year is over and its finals are all set', async () => {
    // Every student of the class gets a year final in every subject they take (a subgroup's
    // members only), written straight into the database as the teachers would have set them.
    const db = t.core.store.db;
    const loads = await db.selectFrom('teaching_load').select(['id', 'subgroup_id']).where('class_id', '=', fx.classId).execute();
    const students = await db.selectFrom('enrollment').select('student_id').where('class_id', '=', fx.classId).execute();
    const at = '2026-05-29T05:00:00.000Z';
    for (const load of loads) {
      const members =
        load.subgroup_id === null ? students.map((s) => s.student_id) : (await db.selectFrom('subgroup_member').select('student_id').where('subgroup_id', '=', load.subgroup_id).execute()).map((m) => m.student_id);
      for (const studentId of new Set(members)) {
        const existing = await db.selectFrom('final_mark').select('id').where('load_id', '=', load.id).where('student_id', '=', studentId).where('kind', '=', 'year').executeTakeFirst();
        if (existing) continue;
        await db.insertInto('final_mark').values({ load_id: load.id, student_id: studentId, kind: 'year', period_id: null, value: '4', suggested: '', deferred: 0, updated_at: at, updated_by: fx.users.deputy.id, version: 1 }).execute();
      }
    }
    t.clock.set('2026-06-05T04:00:00.000Z');
    deputy = await signInAs(t.core, fx.users.deputy.login);
    const printed = await deputy.ok('print.summary', { scope: 'class', classId: fx.classId, final: true });
    expect(printed.preliminary).toBe(false);
    expect(printed.missing).toEqual([]);
    const file = save(`${engine}-summary-final.pdf`, printed.pdfBase64);
    const pages = pageTexts(file);
    for (const page of pages) expect(page).not.toContain('ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ');
    const count = pdfPages(file);
    expect(pages[count - 1]).toContain(`Номер записи в журнале печати: ${printed.logId}.`);
    expect(pages[count - 1]).toContain(PdfFile.read(file).fingerprintOfFirstPages(count - 1));
  });
});
