import type { LessonDraft } from '../../src-shared/contract/journal';
import { addDays, weekdayOf } from '../../src-shared/rules/dates';
import type { Caller } from '../core/context';
import { defineHandlers } from '../core/handlers';
import type { Db } from '../store/database';
import { schoolToday } from '../school/years';
import { nextPlanRow } from '../plans/next-row';
import { assignmentsIn } from '../substitutions/repository';
import { accessToLoad, requireLessonCreate, requireOpenYear } from './access';
import { requireLoad } from './cells';
import { periodsOf } from './repository';
import { type LoadContext } from '../load/repository';

// A new lesson as the timetable sees it (D-10, D-16): the date and the lesson number are
// filled in before the teacher writes anything. Nothing is written here: the lesson is
// created by journal.saveLesson when the teacher accepts or enters something, so opening
// today's lesson and leaving leaves no empty lesson behind.

interface Slot {
  date: string;
  lessonNumber: number;
}

/** The longest span searched for a lesson not yet written (a school year). */
const SEARCH_DAYS = 370;

/**
 * The first lesson the timetable gives this load after its last written lesson, up to
 * today, not yet written: the weekly timetable in force, less holidays, days outside the
 * grade's study periods, lessons moved away or given to a substitute, plus lessons moved
 * in. A lesson written without a number stands for the first free lesson of its day.
 * Null when every such lesson is written (or the page has none up to today).
 */
async function nextTimetabledSlot(db: Db, load: LoadContext, today: string): Promise<Slot | null> {
  const last = await db.selectFrom('lesson').select('date').where('load_id', '=', load.id).where('date', '<=', today).orderBy('date', 'desc').limit(1).executeTakeFirst();
  const start = last && last.date > addDays(today, -SEARCH_DAYS) ? last.date : today;
  const [entries, holidays, periods, transfers, givenAway, written] = await Promise.all([
    db.selectFrom('timetable_entry').select(['weekday', 'lesson_number', 'valid_from', 'valid_to']).where('load_id', '=', load.id).execute(),
    db.selectFrom('holiday').select(['starts_on', 'ends_on']).where('year_id', '=', load.year_id).where('ends_on', '>=', start).where('starts_on', '<=', today).execute(),
    periodsOf(db, load.year_id, load.grade),
    db
      .selectFrom('lesson_transfer')
      .select(['from_date', 'from_lesson_number', 'to_date', 'to_lesson_number'])
      .where('load_id', '=', load.id)
      .where('removed_at', 'is', null)
      .where((eb) => eb.or([eb.between('from_date', start, today), eb.between('to_date', start, today)]))
      .execute(),
    db.selectFrom('substitution').select(['date', 'lesson_number']).where('load_id', '=', load.id).where('removed_at', 'is', null).where('date', '>=', start).where('date', '<=', today).execute(),
    db.selectFrom('lesson').select(['date', 'lesson_number']).where('load_id', '=', load.id).where('date', '>=', start).where('date', '<=', today).execute(),
  ]);
  const away = new Set([...transfers.map((x) => `${x.from_date}:${x.from_lesson_number}`), ...givenAway.map((r) => `${r.date}:${r.lesson_number}`)]);
  for (let date = start; date <= today; date = addDays(date, 1)) {
    if (holidays.some((h) => h.starts_on <= date && date <= h.ends_on)) continue;
    if (!periods.some((p) => p.starts_on <= date && date <= p.ends_on)) continue;
    const weekday = weekdayOf(date);
    const numbers = [
      ...entries.filter((e) => e.weekday === weekday && e.valid_from <= date && (e.valid_to === null || date <= e.valid_to)).map((e) => e.lesson_number),
      ...transfers.filter((x) => x.to_date === date).map((x) => x.to_lesson_number),
    ].filter((n) => !away.has(`${date}:${n}`));
    const ofDay = written.filter((l) => l.date === date);
    const numbered = ofDay.flatMap((l) => (l.lesson_number === null ? [] : [l.lesson_number]));
    // On the last written lesson's day only the lessons after it are next.
    const after = date === last?.date && numbered.length > 0 ? Math.max(...numbered) : 0;
    const free = [...new Set(numbers)].filter((n) => n > after && !numbered.includes(n)).sort((a, b) => a - b);
    const slot = free[ofDay.length - numbered.length];
    if (slot !== undefined) return { date, lessonNumber: slot };
  }
  return null;
}

async function writtenAt(db: Db, loadId: number, date: string, lessonNumber: number): Promise<number | null> {
  const row = await db.selectFrom('lesson').select('id').where('load_id', '=', loadId).where('date', '=', date).where('lesson_number', '=', lessonNumber).orderBy('id').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

/** The slot a new lesson starts at; refused (forbidden) for a page where the caller may not write one. */
async function draftSlot(db: Db, caller: Caller, load: LoadContext, today: string, asked: { date?: string | undefined; lessonNumber?: number | undefined }): Promise<Omit<LessonDraft, 'plan'>> {
  const access = await accessToLoad(db, caller, load);
  const writer = access === 'own' || access === 'substitute';
  if (asked.date !== undefined) {
    // Opened from the day's timetable: that lesson, or the one already written there.
    const existing = writer && asked.lessonNumber !== undefined ? await writtenAt(db, load.id, asked.date, asked.lessonNumber) : null;
    if (existing !== null) return { date: asked.date, lessonNumber: asked.lessonNumber ?? null, lessonId: existing };
    const right = await requireLessonCreate(db, caller, load, asked.date, asked.lessonNumber ?? null);
    return { date: asked.date, lessonNumber: right.lessonNumber, lessonId: null };
  }
  if (access === 'own') {
    const next = await nextTimetabledSlot(db, load, today);
    return next ? { ...next, lessonId: null } : { date: today, lessonNumber: null, lessonId: null };
  }
  if (access === 'substitute') {
    // A substitute's new lesson is the assigned one not yet written.
    const assigned = (await assignmentsIn(db, load.id, caller.userId)).find((a) => a.lesson_id === null && a.date <= today);
    if (assigned) return { date: assigned.date, lessonNumber: assigned.lesson_number, lessonId: null };
  }
  const right = await requireLessonCreate(db, caller, load, today, null);
  return { date: today, lessonNumber: right.lessonNumber, lessonId: null };
}

export function lessonDraftHandlers() {
  return defineHandlers({
    async 'journal.lessonDraft'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const load = await requireLoad(db, input.loadId);
      requireOpenYear(load);
      const today = await schoolToday(db, ctx.now());
      const slot = await draftSlot(db, caller, load, today, input);
      if (slot.lessonId !== null) return { ...slot, plan: null };
      // The КТП's next lesson not yet given: its topic and homework are offered.
      const row = await nextPlanRow(db, load.id);
      return { ...slot, plan: row && { rowId: row.id, number: row.number, topic: row.topic, homework: row.homework } };
    },
  });
}
