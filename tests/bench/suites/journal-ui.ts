import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { startBridge } from '../../../src-main/bridge/server';
import { createCore, type Core } from '../../../src-main/app/core';
import type { Db } from '../../../src-main/store/database';
import type { BenchSuite, Figure } from '../figure';
import { workTypeId } from '../../support/work-types';
import { startTrace, stopTrace, workPerKey, type KeyWork } from '../keystroke-work';

// The real renderer (dist-renderer, built by
// `npx vite build`) over the loopback bridge against a real core on SQLite, in Debian's
// Chromium, on a 1366×768 classroom screen and a 1920×1080 monitor.
// - render of a 35 × 60 page: performance.measure('journal-render') taken by the page
//   itself, from the data's arrival (mark 'journal-data') to the grid on screen;
// - keystroke to the mark on screen: a keydown «5» dispatched in the page, until the frame
//   after the cell shows it (the save to the core runs behind, as for a teacher);
// - at 1366×768 also real key presses (page.keyboard, through the browser's input path),
//   timed from the key event's own time stamp to the frame after the grid changed: the
//   first keystrokes after the journal page opens, then steady typing at a brisk person's
//   pace (target: one frame), and the same keys with no pause between them.

const STUDENTS = 35;
const LESSONS = 60;
const RENDER_RUNS = 25;
const KEY_RUNS = 70;
export const NOW = new Date('2026-11-25T07:00:00.000Z'); // 14:00 in Tomsk, after the 60th lesson
export const TEACHER = { login: 'teacher', password: 'Пароль-учителя-1' };
const staticDir = fileURLToPath(new URL('../../../dist-renderer', import.meta.url));

const quantile = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function call<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await core.call({ method, input, session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function insertId(db: Db, table: string, values: Record<string, unknown>): Promise<number> {
  const row = await db.insertInto(table as never).values(values as never).returning('id' as never).executeTakeFirstOrThrow();
  return (row as { id: number }).id;
}

async function insertMany(db: Db, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto(table as never).values(rows.slice(i, i + 200) as never).execute();
}

/** A class of 35 with 60 lessons of mathematics, about one mark per two cells. */
export async function build(core: Core): Promise<{ loadId: number }> {
  await call(core, 'setup.createSchool', { schoolName: 'Школа для замеров', timeZone: 'Asia/Tomsk', adminLogin: 'admin', adminFullName: 'Администратор Замеров', adminPassword: 'Пароль-админа-1' });
  const admin = (await call<{ session: string }>(core, 'auth.login', { login: 'admin', password: 'Пароль-админа-1' })).session;
  const teacher = await call<{ id: number }>(core, 'accounts.create', { login: TEACHER.login, fullName: 'Учитель Замеров', roles: ['teacher'], temporaryPassword: 'Временный-1' }, admin);
  const first = (await call<{ session: string }>(core, 'auth.login', { login: TEACHER.login, password: 'Временный-1' })).session;
  await call(core, 'auth.changePassword', { currentPassword: 'Временный-1', newPassword: TEACHER.password }, first);

  const db = core.store.db;
  const yearId = await insertId(db, 'academic_year', { name: '2026/2027', starts_on: '2026-09-01', ends_on: '2027-08-31', closed_at: null });
  await insertId(db, 'study_period', { year_id: yearId, kind: 'half', number: 1, name: 'I полугодие', starts_on: '2026-09-01', ends_on: '2026-12-28', grade_from: 1, grade_to: 11 });
  const subjectId = await insertId(db, 'subject', { name: 'Математика', short_name: 'Матем.', grade_from: 1, grade_to: 11, sort_order: 1 });
  const classId = await insertId(db, 'school_class', { year_id: yearId, grade: 7, letter: 'Б', name: '7Б', class_teacher_id: null, room: '', no_marks: 0 });
  const loadId = await insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: subjectId, subgroup_id: null, teacher_id: teacher.id, hours_per_week: 5 });
  const oral = await workTypeId(db, 'Ответ на уроке', 1, 1, 1);
  const test = await workTypeId(db, 'Контрольная работа', 2, 3, 2);
  const surnames = ['Алексеев', 'Белова', 'Волков', 'Григорьева', 'Давыдов', 'Егорова', 'Жуков'];
  const students: number[] = [];
  for (let i = 0; i < STUDENTS; i++) {
    students.push(await insertId(db, 'student', { surname: `${surnames[i % surnames.length]}-${i + 1}`, name: 'Александра', patronymic: 'Сергеевна', birth_date: null, gender: '', created_at: '2026-08-20T00:00:00.000Z' }));
  }
  await insertMany(db, 'enrollment', students.map((student_id) => ({ student_id, class_id: classId, arrived_on: '2026-09-01', arrival_order: '', departed_on: null, departure_order: '' })));
  const dates: string[] = [];
  for (let day = new Date('2026-09-01T00:00:00Z'); dates.length < LESSONS; day = new Date(day.getTime() + 86_400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) dates.push(day.toISOString().slice(0, 10));
  }
  const at = '2026-09-01T05:00:00.000Z';
  await insertMany(db, 'lesson', dates.map((date, i) => ({ load_id: loadId, date, lesson_number: 2, topic: `Тема урока № ${i + 1}`, material: '', homework: `§ ${i + 1}`, homework_for: null, work_types: JSON.stringify([oral]), comment: '', given_by: teacher.id, substitution: 0, created_at: at, created_by: teacher.id, topic_entered_at: at, homework_entered_at: at, version: 1 })));
  const lessons = await db.selectFrom('lesson').select(['id']).where('load_id', '=', loadId).orderBy('date').execute();
  const marks: Record<string, unknown>[] = [];
  const absences: Record<string, unknown>[] = [];
  lessons.forEach((lesson, l) =>
    students.forEach((student, s) => {
      if ((l * 7 + s * 3) % 2 === 0) marks.push({ lesson_id: lesson.id, student_id: student, value: String(2 + ((l + s) % 4)), work_type_id: l % 5 === 4 ? test : oral, comment: '', make_up: 0, created_at: at, created_by: teacher.id, updated_at: at, updated_by: teacher.id, version: 1 });
      else if ((l + s) % 17 === 0) absences.push({ lesson_id: lesson.id, student_id: student, code: 'ОТ', updated_at: at, updated_by: teacher.id, version: 1 });
    }),
  );
  await insertMany(db, 'mark', marks);
  await insertMany(db, 'attendance', absences);
  return { loadId };
}

export async function signIn(page: Page, url: string) {
  await page.goto(url);
  const form = page.getByRole('form', { name: 'Вход' });
  await form.getByLabel('Логин').fill(TEACHER.login);
  await form.getByLabel('Пароль').fill(TEACHER.password);
  await form.getByLabel('Пароль').press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Главная' }).waitFor();
}

/** Opens the page again and again; each time the page measures data → grid on screen. */
async function renderTimes(page: Page, loadId: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RENDER_RUNS + 3; i++) {
    await page.evaluate(() => performance.clearMeasures('journal-render'));
    await page.evaluate("window.location.hash = '/'");
    await page.getByRole('heading', { level: 1, name: 'Главная' }).waitFor();
    await page.evaluate(`window.location.hash = '/journal/${loadId}'`);
    const duration = await page
      .waitForFunction(() => performance.getEntriesByName('journal-render', 'measure')[0]?.duration, undefined, { polling: 'raf', timeout: 20_000 })
      .catch(async (error: unknown) => {
        const entries = await page.evaluate(() => JSON.stringify(performance.getEntries().filter((entry) => entry.entryType === 'mark' || entry.entryType === 'measure').map((entry) => [entry.name, entry.entryType, entry.duration])));
        throw new Error(`страница журнала не измерена (${i}): ${entries}`, { cause: error });
      });
    const value = (await duration.jsonValue()) as number;
    if (i >= 3) samples.push(value); // the first openings warm the JIT and the caches
  }
  const cells = await page.getByRole('gridcell').count();
  if (cells < STUDENTS) throw new Error(`сетка не отрисована: ячеек ${cells}`);
  return samples;
}

/**
 * Runs in the page (a string: tsx would otherwise add helpers the page does not have).
 * Dispatches a keydown «5» and resolves, in ms, at the frame after the active cell shows it.
 */
const TYPE_FIVE = `(async () => {
  const grid = document.querySelector('[role="grid"]');
  const text = () => grid.querySelector('[role="gridcell"][aria-selected="true"]').textContent;
  const before = text();
  const started = performance.now();
  grid.dispatchEvent(new KeyboardEvent('keydown', { key: '5', bubbles: true, cancelable: true }));
  let changed = text() !== before ? performance.now() : 0;
  if (!changed) {
    await new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (text() === before) return;
        changed = performance.now();
        observer.disconnect();
        resolve();
      });
      observer.observe(grid, { subtree: true, childList: true, characterData: true });
    });
  }
  await new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  }));
  return [performance.now() - started, changed - started];
})()`;

/** Types «5» into the active cell, moving down a row each time; returns ms to the frame after it shows. */
async function keystrokeTimes(page: Page): Promise<{ onScreen: number[]; inDom: number[] }> {
  await page.getByRole('grid').focus();
  const onScreen: number[] = [];
  const inDom: number[] = [];
  for (let i = 0; i < KEY_RUNS; i++) {
    const [screen, dom] = (await page.evaluate(TYPE_FIVE)) as [number, number];
    if (i >= 5) {
      onScreen.push(screen);
      inDom.push(dom);
    }
    await page.keyboard.press(i % STUDENTS === STUDENTS - 1 ? 'ArrowLeft' : 'ArrowDown');
    if (i % STUDENTS === STUDENTS - 1) await page.keyboard.press('PageUp').then(() => page.keyboard.press('PageUp')).then(() => page.keyboard.press('PageUp')).then(() => page.keyboard.press('PageUp'));
  }
  await page.getByText('Сохранено.').waitFor();
  return { onScreen, inDom };
}

/**
 * Runs in the page before a real key press: resolves, in ms, from the key event's own time
 * stamp (the browser's time of the input) to the frame after the grid's DOM first changed
 * for it — the paint that shows the mark — and, within it, the wait from the DOM change to the
 * start of the frame that paints it (at a display's 60 Hz that wait alone could reach 16.7 ms;
 * the rest is the page's work and what queued before it). Null when nothing changed within 5 s.
 */
export const ARM_KEY_TO_PAINT = `(() => {
  const grid = document.querySelector('[role="grid"]');
  window.__keyToPaint = new Promise((resolve) => {
    const onKey = (event) => {
      window.removeEventListener('keydown', onKey, true);
      const pressed = event.timeStamp;
      const giveUp = setTimeout(() => { observer.disconnect(); resolve(null); }, 5000);
      const observer = new MutationObserver(() => {
        observer.disconnect();
        clearTimeout(giveUp);
        const changed = performance.now();
        requestAnimationFrame((frameStart) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const painted = performance.now();
            const wait = Math.max(0, frameStart - changed);
            resolve({ total: painted - pressed, wait });
          };
          channel.port2.postMessage(null);
        });
      });
      observer.observe(grid, { subtree: true, childList: true, characterData: true, attributes: true });
    };
    window.addEventListener('keydown', onKey, true);
  });
})()`;

/** One key press measured: the whole time to the paint, and the part of it spent waiting for a frame to begin. */
export interface KeyToPaint {
  total: number;
  wait: number;
}

/** Openings of the page, each with its first keys: enough for a p95 of the first key. */
const OPENINGS = 20;
const FIRST_KEYS = 3;
const STEADY_KEYS = 100;

/** One real key press (page.keyboard) of `digit` into the active cell: ms to the paint showing it. */
async function pressToPaint(page: Page, digit: string): Promise<KeyToPaint> {
  await page.evaluate(ARM_KEY_TO_PAINT);
  await page.keyboard.press(digit);
  const value = (await page.evaluate('window.__keyToPaint')) as KeyToPaint | null;
  if (value === null) throw new Error(`нажатие «${digit}» не изменило сетку`);
  return value;
}

/**
 * A brisk teacher's pace for the wall-clock figures: a key every 100 ms — a mark, the arrow
 * to the next row — five marks a second, faster than anyone fills a journal. (The same keys
 * with no pause at all, as fast as the harness can send them, are a figure of their own: each
 * key then lands on the work the previous ones left, which no person can cause.)
 */
const BRISK_GAP_MS = 100;
/**
 * A person's keys fall anywhere in the display's frame; a fixed 100 ms (six frames exactly)
 * would land every key at one phase of it, and a run would measure that phase only. Each gap
 * adds a part of a frame, spread evenly over it (the golden-ratio sequence), the same in every run.
 */
const FRAME_MS = 1000 / 60;
/** A person sees the page before the first key: 0.3 s is a quick reaction. */
const FIRST_KEY_AFTER_MS = 300;
const phaseSpread = (n: number) => ((n * 0.618034) % 1) * FRAME_MS;

/**
 * Real key presses from the first one after the journal page opens: each of `openings` types the
 * first FIRST_KEYS marks (a different digit each time, so every press changes the cell);
 * after the last opening STEADY_KEYS more, moving down the column; `gapMs` after each key.
 * The first key goes `firstAfterMs` after the grid shows its active cell.
 */
async function realKeystrokes(page: Page, loadId: number, openings: number, gapMs: number, firstAfterMs: number): Promise<{ first: KeyToPaint[]; next: KeyToPaint[]; steady: KeyToPaint[] }> {
  const first: KeyToPaint[] = [];
  const next: KeyToPaint[] = [];
  const steady: KeyToPaint[] = [];
  const digits = ['5', '4', '3', '2'];
  let pauses = 0;
  const pause = () => (gapMs > 0 ? page.waitForTimeout(gapMs + phaseSpread(++pauses)) : Promise.resolve());
  for (let opening = 0; opening < openings; opening++) {
    await page.evaluate("window.location.hash = '/'");
    await page.getByRole('heading', { level: 1, name: 'Главная' }).waitFor();
    await page.evaluate(`window.location.hash = '/journal/${loadId}'`);
    await page.locator('[role="gridcell"][aria-selected="true"]').waitFor();
    await page.getByRole('grid').focus();
    if (firstAfterMs > 0) await page.waitForTimeout(firstAfterMs);
    const digit = digits[opening % digits.length]!;
    for (let key = 0; key < FIRST_KEYS; key++) {
      (key === 0 ? first : next).push(await pressToPaint(page, digit));
      await pause();
      await page.keyboard.press('ArrowDown');
      await pause();
    }
    if (opening === openings - 1) {
      for (let key = 0; key < STEADY_KEYS; key++) {
        steady.push(await pressToPaint(page, digits[(opening + 1 + Math.floor(key / 20)) % digits.length]!));
        await pause();
        await page.keyboard.press(key % 20 === 19 ? 'ArrowLeft' : 'ArrowDown');
        if (key % 20 === 19) for (let up = 0; up < 20; up++) await page.keyboard.press('ArrowUp');
        await pause();
      }
    }
  }
  await page.getByText('Сохранено.').waitFor();
  return { first, next, steady };
}

const TRACED_OPENINGS = 4;
const TRACED_STEADY = 30;
/** A brisk teacher's pace between key presses (a digit, then the arrow to the next row). */
const TYPING_GAP_MS = 200;

/**
 * The same real key presses under a Chromium trace: per keystroke, the main thread's CPU
 * from the key to the frame that shows its result, and all of it until the next key (the
 * save's answer included), with style, layout and paint apart. CPU time changes little when
 * the machine is busy, unlike the wall-clock figures above. Keys go at a typing pace
 * (TYPING_GAP_MS), not as fast as the harness can send them.
 */
async function keystrokeWork(page: Page, loadId: number): Promise<{ first: KeyWork[]; digits: KeyWork[]; arrows: KeyWork[] }> {
  const first: KeyWork[] = [];
  const digits: KeyWork[] = [];
  const arrows: KeyWork[] = [];
  for (let opening = 0; opening < TRACED_OPENINGS; opening++) {
    await page.evaluate("window.location.hash = '/'");
    await page.getByRole('heading', { level: 1, name: 'Главная' }).waitFor();
    await page.evaluate(`window.location.hash = '/journal/${loadId}'`);
    await page.locator('[role="gridcell"][aria-selected="true"]').waitFor();
    await page.getByRole('grid').focus();
    const trace = await startTrace(page);
    const keys: string[] = [];
    const digit = ['2', '3', '4', '5'][opening % 4]!;
    const presses = opening === TRACED_OPENINGS - 1 ? TRACED_STEADY : 3;
    for (let i = 0; i < presses; i++) {
      for (const key of [digit, i % 20 === 19 ? 'ArrowLeft' : 'ArrowDown']) {
        await page.keyboard.press(key);
        keys.push(key);
        await page.waitForTimeout(TYPING_GAP_MS);
      }
    }
    const work = workPerKey(await stopTrace(trace), keys);
    if (work.length !== keys.length) throw new Error(`в трассировке ${work.length} нажатий из ${keys.length}`);
    work.forEach((item, i) => {
      if (i === 0) first.push(item);
      // Steady typing: the last opening, past its first three marks.
      else if (opening === TRACED_OPENINGS - 1 && i >= 6) (item.key === digit ? digits : arrows).push(item);
    });
  }
  return { first, digits, arrows };
}

export const journalUiSuite: BenchSuite = {
  name: 'journal-ui',
  async run(): Promise<Figure[]> {
    if (!existsSync(join(staticDir, 'index.html'))) throw new Error('Нет собранного интерфейса dist-renderer: сначала «npx vite build».');
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-journal-ui-'));
    const core = await createCore({ databaseUrl: join(dir, 'zhurnal.sqlite'), now: () => NOW });
    const bridge = await startBridge({ core, staticDir });
    const browser = await chromium.launch({
      executablePath: process.env.ZHURNAL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--lang=ru-RU', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const { loadId } = await build(core);
      const figures: Figure[] = [];
      for (const viewport of [
        { width: 1366, height: 768 },
        { width: 1920, height: 1080 },
      ]) {
        const context = await browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Asia/Tomsk' });
        const page = await context.newPage();
        // No page.clock here: its fake `performance` would swallow the page's own marks.
        await signIn(page, bridge.url);
        const render = await renderTimes(page, loadId);
        const screen = `${viewport.width}×${viewport.height}`;
        figures.push(
          { name: `Chromium ${screen}: отрисовка страницы ${STUDENTS}×${LESSONS} (данные → на экране), p50`, value: round(quantile(render, 0.5)), unit: 'ms', target: '' },
          { name: `Chromium ${screen}: отрисовка страницы ${STUDENTS}×${LESSONS}, p95`, value: round(quantile(render, 0.95)), unit: 'ms', target: '' },
        );
        if (viewport.width === 1366) {
          // A person's keystrokes: real key events, from the event's time to the paint after it.
          const real = await realKeystrokes(page, loadId, OPENINGS, BRISK_GAP_MS, FIRST_KEY_AFTER_MS);
          const total = (keys: KeyToPaint[]) => keys.map((key) => key.total);
          // What the page itself takes: the time to the paint less the wait for the display's next frame to begin.
          const own = (keys: KeyToPaint[]) => keys.map((key) => key.total - key.wait);
          const burst = await realKeystrokes(page, loadId, OPENINGS, 0, 0);
          const pace = `по клавише в ${BRISK_GAP_MS} мс`;
          figures.push(
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, первое после открытия страницы (через ${FIRST_KEY_AFTER_MS} мс), p50 из ${OPENINGS}`, value: round(quantile(total(real.first), 0.5)), unit: 'ms', target: '≤ 16 ms' },
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, первое после открытия, p95`, value: round(quantile(total(real.first), 0.95)), unit: 'ms', target: '≤ 16 ms' },
            // The first opening's key is the session's first: the browser has not compiled the typing code yet.
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, первое после открытия, худшее`, value: round(Math.max(...total(real.first))), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, первое за сеанс`, value: round(total(real.first)[0]!), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, 2-е и 3-е после открытия (${pace}), p95`, value: round(quantile(total(real.next), 0.95)), unit: 'ms', target: '≤ 16 ms' },
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, установившийся ввод (${pace}), p50`, value: round(quantile(total(real.steady), 0.5)), unit: 'ms', target: '≤ 16 ms' },
            { name: `Chromium ${screen}: настоящее нажатие → отметка на экране, установившийся ввод (${pace}), p95`, value: round(quantile(total(real.steady), 0.95)), unit: 'ms', target: '≤ 16 ms' },
            { name: `Chromium ${screen}:   из этого ожидание начала кадра после изменения сетки, p50`, value: round(quantile(real.steady.map((key) => key.wait), 0.5)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}:   ожидание начала кадра, p95`, value: round(quantile(real.steady.map((key) => key.wait), 0.95)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}:   без ожидания кадра (работа страницы и очередь перед ней), p95`, value: round(quantile(own(real.steady), 0.95)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: без пауз: первое нажатие в миг появления страницы, p50 из ${OPENINGS}`, value: round(quantile(total(burst.first), 0.5)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: без пауз: первое нажатие в миг появления страницы, p95`, value: round(quantile(total(burst.first), 0.95)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: без пауз: ${STEADY_KEYS} клавиш подряд, p50`, value: round(quantile(total(burst.steady), 0.5)), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: без пауз: ${STEADY_KEYS} клавиш подряд, p95`, value: round(quantile(total(burst.steady), 0.95)), unit: 'ms', target: '' },
          );
        }
        if (viewport.width === 1366) {
          const work = await keystrokeWork(page, loadId);
          const cpu = (items: KeyWork[], pick: (item: KeyWork) => number, q: number) => round(quantile(items.map(pick), q));
          const prefix = `Chromium ${screen}: работа главного потока (ЦП по трассировке)`;
          figures.push(
            { name: `${prefix}, нажатие → кадр с отметкой, первое после открытия, медиана из ${TRACED_OPENINGS}`, value: cpu(work.first, (w) => w.toPaint, 0.5), unit: 'ms', target: '' },
            { name: `${prefix}, нажатие цифры → кадр с отметкой, установившийся ввод, p50`, value: cpu(work.digits, (w) => w.toPaint, 0.5), unit: 'ms', target: '' },
            { name: `${prefix}, нажатие цифры → кадр с отметкой, p95`, value: cpu(work.digits, (w) => w.toPaint, 0.95), unit: 'ms', target: '' },
            { name: `${prefix}, вся работа на нажатие цифры до следующего (с ответом на сохранение), p50`, value: cpu(work.digits, (w) => w.total, 0.5), unit: 'ms', target: '' },
            { name: `${prefix},   из неё стили + раскладка + отрисовка, p50`, value: cpu(work.digits, (w) => w.style + w.layout + w.paint, 0.5), unit: 'ms', target: '' },
            { name: `${prefix}, стрелка → кадр с новой ячейкой, p50`, value: cpu(work.arrows, (w) => w.toPaint, 0.5), unit: 'ms', target: '' },
            { name: `${prefix}, вся работа на стрелку, p50`, value: cpu(work.arrows, (w) => w.total, 0.5), unit: 'ms', target: '' },
            { name: `Chromium ${screen}: кадров на одно нажатие цифры (до следующего нажатия), медиана`, value: cpu(work.digits, (w) => w.frames, 0.5), unit: '', target: '' },
            { name: `Chromium ${screen}: элементов с пересчитанным стилем на нажатие цифры, медиана`, value: cpu(work.digits, (w) => w.restyled, 0.5), unit: '', target: '' },
          );
        }
        const keys = await keystrokeTimes(page);
        figures.push(
          { name: `Chromium ${screen}: нажатие «5» → отметка на экране, p50`, value: round(quantile(keys.onScreen, 0.5)), unit: 'ms', target: '≤ 50 ms' },
          { name: `Chromium ${screen}: нажатие «5» → отметка на экране, p95`, value: round(quantile(keys.onScreen, 0.95)), unit: 'ms', target: '≤ 50 ms' },
          { name: `Chromium ${screen}:   из них до отметки в DOM (React), p50`, value: round(quantile(keys.inDom, 0.5)), unit: 'ms', target: '' },
          { name: `Chromium ${screen}:   до отметки в DOM, p95`, value: round(quantile(keys.inDom, 0.95)), unit: 'ms', target: '' },
        );
        await context.close();
      }
      // Context: the figures above are only as good as the machine was idle.
      figures.push({ name: 'Нагрузка машины во время замера (load average, 1 мин)', value: round(loadavg()[0]!, 2), unit: '', target: '' });
      return figures;
    } finally {
      await browser.close();
      await bridge.close();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
