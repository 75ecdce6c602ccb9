import type { ChangeTarget } from '../../src-shared/contract/journal';
import { isReasonCode } from '../../src-shared/rules/attendance';
import { suggestFinal, suggestYearFinal, weightedAverage } from '../../src-shared/rules/average';
import { localDate, localDateTime, weekdayOf } from '../../src-shared/rules/dates';
import { isPastEditWindow } from '../../src-shared/rules/edit-window';
import { isHomeworkLate, isMarkLate, isTopicLate } from '../../src-shared/rules/lateness';
import { checkMark } from '../../src-shared/rules/marks';
import { hasPermission } from '../../src-shared/roles';
import type { HandlerContext } from '../core/context';
import { conflict, forbidden, invalid, locked, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Tx } from '../store/database';
import { isTeacher, mayWriteLesson, readsEverything, requireClassTeacher, requireLessonCreate, requireLessonWrite, requireSameSlot, requireOpenYear, requireOwnLoad, requireReadAccess } from './access';
import {
  cellKey,
  finalKey,
  insertMark,
  lessonGone,
  markView,
  prepareMark,
  prepareMarkFrom,
  removeMark,
  requireCellOpen,
  requireMoveOpen,
  staleCell,
  updateMark,
  writeAttendance,
  type ChangeOrigin,
} from './cells';
import { buildPage, loadSummaryOf } from './page';
import {
  allPeriodFinalsOf,
  findCell,
  findAttendance,
  findFinal,
  findIdempotent,
  findLesson,
  findLessonWithLoad,
  findLoad,
  findMark,
  historyOf,
  isUniqueViolation,
  lastLessonEnd,
  loadsVisibleTo,
  periodContaining,
  periodLockOf,
  periodLockedOn,
  periodsOf,
  rememberIdempotent,
  studentMarksWithWeights,
  studentOnList,
  studentsOfLoad,
  userName,
  type Environment,
  type LessonRow,
  type LoadContext,
} from './repository';
import { environmentOf as cachedEnvironment } from './environment';
import { revertCompromised } from './revert';
import { attendanceSpanHandlers } from './attendance-span';
import { batchHandlers } from './batch';
import { compromisedHandlers } from './compromised';
import { finalSnapshot, finalView, formatDate, lessonSnapshot, lessonView } from './views';

const IDEMPOTENCY_KEEP_MS = 7 * 86_400_000;
/** `db` must be the transaction when inside one: SQLite has one connection, held by it. */
const environmentOf = (ctx: HandlerContext, db: Db): Promise<Environment> => cachedEnvironment(ctx.store, db);

/** When stale keys were last swept, per database: a sweep an hour is plenty. */
const idempotencySweeps = new WeakMap<object, number>();
const IDEMPOTENCY_SWEEP_MS = 3_600_000;

/**
 * A save in one short transaction. With an idempotency key, a save already applied is not
 * applied again: the first answer is returned (a client retrying after a lost reply).
 * The key is not looked up first — a retry fails inside the transaction (on the key's
 * uniqueness, or earlier on a version the first attempt moved on), is rolled back whole,
 * and only then the stored answer is read. The common case, a first attempt, pays nothing.
 */
async function saveOnce<T>(ctx: HandlerContext, method: string, key: string | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!key) return ctx.transaction(work);
  const userId = ctx.requireCaller().userId;
  try {
    return await ctx.transaction(async (tx) => {
      const result = await work(tx);
      const now = ctx.now();
      const sweep = Date.now() - (idempotencySweeps.get(ctx.store) ?? 0) > IDEMPOTENCY_SWEEP_MS;
      await rememberIdempotent(tx, { userId, key, method, result, at: now.toISOString(), forgetBefore: sweep ? new Date(now.getTime() - IDEMPOTENCY_KEEP_MS).toISOString() : null });
      if (sweep) idempotencySweeps.set(ctx.store, Date.now());
      return result;
    });
  } catch (error) {
    const prior = await findIdempotent(ctx.store.db, userId, key);
    if (!prior) throw error;
    if (prior.method !== method) throw invalid('Этот ключ повтора уже использован для другого действия.');
    return JSON.parse(prior.result) as T;
  }
}

/** Two saves raced to create the same row: the loser is told, not given an internal error. */
async function raceAsConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Эту запись только что сохранил другой пользователь. Обновите страницу и проверьте.');
    throw error;
  }
}

async function lessonAndLoad(db: Db, lessonId: number): Promise<{ lesson: LessonRow; load: LoadContext }> {
  const found = await findLessonWithLoad(db, lessonId);
  if (!found) throw lessonGone();
  return found;
}

/** A save into one cell starts here: the lesson, its load and the cell's facts in one read. */
async function cellOf(db: Db, lessonId: number, studentId: number) {
  const found = await findCell(db, lessonId, studentId);
  if (!found) throw lessonGone();
  return found;
}

async function requireLoad(db: Db, loadId: number): Promise<LoadContext> {
  const load = await findLoad(db, loadId);
  if (!load) throw notFound('Страница журнала не найдена.');
  return load;
}

function clock(ctx: HandlerContext, env: Environment) {
  const nowLocal = localDateTime(ctx.now(), env.timeZone);
  return { nowLocal, today: nowLocal.slice(0, 10) };
}

/** A lesson's date: not ahead of today (D-17), inside the year and one of the class's study periods. */
async function requireLessonDate(db: Db, load: LoadContext, date: string, today: string): Promise<void> {
  if (date > today) {
    const message = `Нельзя записать урок на будущую дату (${formatDate(date)}): записи заранее запрещены. Домашнее задание можно задать вперёд — укажите, на какую дату.`;
    throw invalid(message, [{ path: 'date', message }]);
  }
  if (date < load.year_starts_on || date > load.year_ends_on) throw invalid('Дата урока вне учебного года.', [{ path: 'date', message: 'Вне учебного года' }]);
  if (!(await periodContaining(db, load.year_id, load.grade, date))) {
    throw invalid(`${formatDate(date)} не входит ни в один учебный период ${load.class_name} (каникулы?).`, [{ path: 'date', message: 'Вне учебных периодов' }]);
  }
}

const notOnList = () => invalid('Этого ученика нет в списке класса (группы) на дату урока.');

async function requireStudentOnList(db: Db, load: LoadContext, studentId: number, date: string) {
  if (!(await studentOnList(db, load, studentId, date))) throw notOnList();
}

/** The suggested final (D-23): from the period's marks, or from period finals for the year. */
async function suggestedFor(db: Db, env: Environment, load: LoadContext, studentId: number, kind: string, period: { starts_on: string; ends_on: string } | null): Promise<string> {
  if (kind === 'period' && period) {
    const marks = await studentMarksWithWeights(db, load.id, studentId, period.starts_on, period.ends_on);
    return suggestFinal(weightedAverage(marks, env.settings.scale), env.settings) ?? '';
  }
  if (kind === 'year') {
    const finals = await allPeriodFinalsOf(db, load.id, studentId);
    return suggestYearFinal(finals.map((f) => f.value), env.settings) ?? '';
  }
  if (kind === 'final') {
    const [year, exam] = await Promise.all([findFinal(db, load.id, studentId, 'year', null), findFinal(db, load.id, studentId, 'exam', null)]);
    return suggestYearFinal([year?.value ?? '', exam?.value ?? ''], env.settings) ?? '';
  }
  return '';
}

/** Closes a load's period (D-25) unless it is closed already. */
async function lockPeriod(tx: Tx, ctx: HandlerContext, loadId: number, periodId: number, automatic: boolean): Promise<void> {
  const lock = await periodLockOf(tx, loadId, periodId);
  if (lock && lock.reopened_at === null) return;
  await tx.insertInto('period_lock').values({ load_id: loadId, period_id: periodId, locked_at: ctx.now().toISOString(), locked_by: ctx.requireCaller().userId, reopened_at: null, reopened_by: null, reopen_reason: null }).execute();
  await ctx.audit(tx, { action: 'period.lock', entity: 'period_lock', entityId: `${loadId}:${periodId}`, after: { locked: true, automatic } });
}

/** Whoever asked for a change does not decide on it, either way. */
const ownRequest = () => forbidden('Свой запрос рассматривает другой сотрудник администрации: ни одобрить, ни отклонить его нельзя.');

/** A cell of a lesson is closed to its teacher past the window or while its period is closed (D-25). */
async function cellClosed(db: Db, env: Environment, today: string, loadId: number, lessonDate: string): Promise<boolean> {
  return isPastEditWindow(lessonDate, today, env.settings.editWindowDays) || (await periodLockedOn(db, loadId, lessonDate));
}

/** A lesson is not moved out of or into a closed period: the administrator reopens it first. */
async function requireMoveOutsideLockedPeriods(db: Db, loadId: number, from: string, to: string): Promise<void> {
  if ((await periodLockedOn(db, loadId, from)) || (await periodLockedOn(db, loadId, to))) {
    throw locked('Период закрыт: итоговые отметки выставлены. Перенести урок можно после открытия периода администратором.', { reason: 'periodLocked', requestable: false });
  }
}

/** Applies an approved change request's change, audited with the request's reason. */
async function applyRequestedChange(tx: Tx, ctx: HandlerContext, env: Environment, target: ChangeTarget & { version?: number }, origin: ChangeOrigin) {
  const { lesson, load } = await lessonAndLoad(tx, target.lessonId);
  requireOpenYear(load);
  const stale = () => conflict('Запись изменилась после подачи запроса. Отклоните запрос; учитель подаст новый.');
  if (target.kind === 'lessonDate') {
    if (lesson.version !== target.version) throw stale();
    await requireLessonDate(tx, load, target.date, clock(ctx, env).today);
    await requireMoveOutsideLockedPeriods(tx, load.id, lesson.date, target.date);
    const row = await tx.updateTable('lesson').set({ date: target.date, version: lesson.version + 1 }).where('id', '=', lesson.id).where('version', '=', lesson.version).returningAll().executeTakeFirst();
    if (!row) throw stale();
    await ctx.audit(tx, { action: 'lesson.update', entity: 'lesson', entityId: row.id, before: lessonSnapshot(lesson), after: { ...lessonSnapshot(row), changeRequestId: origin.changeRequestId }, reason: origin.reason ?? null });
    return;
  }
  if (target.kind === 'mark') {
    const current = target.markId === undefined ? undefined : await findMark(tx, target.markId);
    if (target.markId !== undefined && (!current || current.version !== target.version)) throw stale();
    if (target.value === null) {
      if (!current) throw stale();
      await removeMark(tx, ctx, current, origin);
      return;
    }
    const prepared = await prepareMark(tx, env, load, lesson, target.studentId, target.value, target.workTypeId ?? current!.work_type_id);
    if (current) await updateMark(tx, ctx, current, prepared, target.comment, origin);
    else {
      const late = !prepared.makeUp && isMarkLate(lesson.date, prepared.markDueDays, clock(ctx, env).nowLocal);
      await insertMark(tx, ctx, { lessonId: lesson.id, studentId: target.studentId, late }, prepared, target.comment, origin);
    }
    return;
  }
  const current = await findAttendance(tx, target.lessonId, target.studentId);
  if ((current?.version ?? 0) !== (target.version ?? 0)) throw stale();
  await writeAttendance(tx, ctx, { lessonId: target.lessonId, studentId: target.studentId }, current, target.code, isReasonCode(target.code) ? 'attendance.resolve' : 'attendance.set', origin);
}

export function journalHandlers() {
  return defineHandlers({
    async 'journal.myLoads'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const everything = readsEverything(caller);
      let loads = await loadsVisibleTo(db, caller.userId, everything);
      if (input.yearId !== undefined) loads = loads.filter((l) => l.year_id === input.yearId);
      if (loads.length === 0) return [];
      const yearIds = [...new Set(loads.map((l) => l.year_id))];
      const [periods, substituted, env] = await Promise.all([
        db.selectFrom('study_period').select(['id', 'year_id', 'name', 'kind', 'starts_on', 'ends_on', 'grade_from', 'grade_to']).where('year_id', 'in', yearIds).orderBy('starts_on').execute(),
        isTeacher(caller)
          ? db
              .selectFrom('lesson')
              .select('load_id')
              .where('given_by', '=', caller.userId)
              .union(db.selectFrom('substitution').select('load_id').where('substitute_id', '=', caller.userId).where('kind', 'in', ['subject', 'merge']).where('removed_at', 'is', null))
              .execute()
          : Promise.resolve([]),
        environmentOf(ctx, db),
      ]);
      const today = localDate(ctx.now(), env.timeZone);
      const substitutedLoads = new Set(substituted.map((s) => s.load_id));
      return loads.map((load) => {
        const own = periods.filter((p) => p.year_id === load.year_id && p.grade_from <= load.grade && p.grade_to >= load.grade);
        const access =
          isTeacher(caller) && load.teacher_id === caller.userId
            ? 'own'
            : isTeacher(caller) && substitutedLoads.has(load.id)
              ? 'substitute'
              : load.class_teacher_id === caller.userId
                ? 'classTeacher'
                : 'read';
        return loadSummaryOf(load, access, own, today);
      });
    },

    async 'journal.page'(input, ctx) {
      return buildPage(ctx.store, ctx.requireCaller(), ctx.now(), input.loadId, input.periodId);
    },

    async 'journal.saveLesson'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.saveLesson', input.idempotencyKey, async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        if (!isTeacher(caller)) throw forbidden('Уроки записывает учитель.');
        const createRight = input.lessonId === undefined ? await requireLessonCreate(tx, caller, load, input.date, input.lessonNumber) : null;
        const env = await environmentOf(ctx, tx);
        const { nowLocal, today } = clock(ctx, env);
        await requireLessonDate(tx, load, input.date, today);
        if (input.homeworkFor !== null && input.homeworkFor < input.date) {
          throw invalid('Домашнее задание задаётся на дату урока или позже.', [{ path: 'homeworkFor', message: 'Раньше даты урока' }]);
        }
        const workTypeIds = [...new Set(input.workTypeIds)];
        if (workTypeIds.length > 0) {
          const known = await tx.selectFrom('work_type').select('id').where('id', 'in', workTypeIds).execute();
          if (known.length !== workTypeIds.length) throw invalid('Такого вида работы нет в настройках школы.', [{ path: 'workTypeIds', message: 'Неизвестный вид работы' }]);
        }
        if (await periodLockedOn(tx, load.id, input.date)) {
          throw locked('Период закрыт: итоговые отметки выставлены. Изменения — после открытия периода администратором.', { reason: 'periodLocked', requestable: false });
        }
        const homeworkLate = async () => (isHomeworkLate(input.date, await lastLessonEnd(tx, load.class_id, input.date, weekdayOf(input.date)), nowLocal) ? 1 : 0);
        const at = ctx.now().toISOString();
        const fields = {
          date: input.date,
          lesson_number: createRight ? createRight.lessonNumber : input.lessonNumber,
          topic: input.topic,
          material: input.material,
          homework: input.homework,
          homework_for: input.homeworkFor,
          work_types: JSON.stringify(workTypeIds),
          comment: input.comment,
        };

        if (input.lessonId === undefined) {
          // A registered substitute gives this lesson: recorded now, at entry.
          const substitution = load.teacher_id !== caller.userId;
          const row = await tx
            .insertInto('lesson')
            .values({
              load_id: load.id,
              ...fields,
              given_by: caller.userId,
              substitution: substitution ? 1 : 0,
              created_at: at,
              created_by: caller.userId,
              topic_entered_at: input.topic ? at : null,
              homework_entered_at: input.homework ? at : null,
              topic_late: input.topic && isTopicLate(input.date, nowLocal) ? 1 : 0,
              homework_late: input.homework ? await homeworkLate() : 0,
              version: 1,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          if (createRight?.substitutionId) await tx.updateTable('substitution').set({ lesson_id: row.id }).where('id', '=', createRight.substitutionId).execute();
          await ctx.audit(tx, { action: 'lesson.create', entity: 'lesson', entityId: row.id, before: null, after: lessonSnapshot(row) });
          return lessonView(row, caller.fullName);
        }

        const current = await findLesson(tx, input.lessonId);
        if (!current || current.load_id !== load.id) throw lessonGone();
        requireLessonWrite(caller, load, current);
        requireSameSlot(caller, load, current, input.date, input.lessonNumber);
        if (input.version === undefined) throw invalid('Не указана версия урока, на которой основано изменение.', [{ path: 'version', message: 'Обязательно при изменении' }]);
        if (current.version !== input.version) {
          throw await staleCell(tx, env, ['lesson'], String(current.id), lessonView(current, (await userName(tx, current.given_by)) ?? ''), `тема «${current.topic || '—'}», задание «${current.homework || '—'}»`);
        }
        if (current.date !== input.date) {
          if (await periodLockedOn(tx, load.id, current.date)) throw locked('Урок относится к закрытому периоду.', { reason: 'periodLocked', requestable: false });
          requireMoveOpen(env, today, current.date, input.date);
        }
        const firstTopic = !current.topic_entered_at && input.topic !== '';
        const firstHomework = !current.homework_entered_at && input.homework !== '';
        const row = await tx
          .updateTable('lesson')
          .set({
            ...fields,
            topic_entered_at: firstTopic ? at : current.topic_entered_at,
            topic_late: firstTopic ? (isTopicLate(input.date, nowLocal) ? 1 : 0) : current.topic_late,
            homework_entered_at: firstHomework ? at : current.homework_entered_at,
            homework_late: firstHomework ? await homeworkLate() : current.homework_late,
            version: current.version + 1,
          })
          .where('id', '=', current.id)
          .where('version', '=', current.version)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw conflict('Урок только что изменил другой пользователь. Обновите страницу.');
        await ctx.audit(tx, { action: 'lesson.update', entity: 'lesson', entityId: row.id, before: lessonSnapshot(current), after: lessonSnapshot(row) });
        return lessonView(row, (await userName(tx, row.given_by)) ?? '');
      });
    },

    async 'journal.deleteLesson'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.deleteLesson', input.idempotencyKey, async (tx) => {
        const { lesson, load } = await lessonAndLoad(tx, input.lessonId);
        requireOpenYear(load);
        requireLessonWrite(caller, load, lesson);
        const env = await environmentOf(ctx, tx);
        if (lesson.version !== input.version) throw await staleCell(tx, env, ['lesson'], String(lesson.id), lessonView(lesson, ''), `тема «${lesson.topic || '—'}»`);
        if (await periodLockedOn(tx, load.id, lesson.date)) throw locked('Урок относится к закрытому периоду.', { reason: 'periodLocked', requestable: false });
        const [marks, absences] = await Promise.all([
          tx.selectFrom('mark').select('id').where('lesson_id', '=', lesson.id).limit(1).executeTakeFirst(),
          tx.selectFrom('attendance').select('lesson_id').where('lesson_id', '=', lesson.id).limit(1).executeTakeFirst(),
        ]);
        if (marks || absences) throw invalid('На уроке есть отметки или пропуски: сначала удалите их.');
        await tx.deleteFrom('lesson').where('id', '=', lesson.id).execute();
        await ctx.audit(tx, { action: 'lesson.delete', entity: 'lesson', entityId: lesson.id, before: lessonSnapshot(lesson), after: null });
        return { done: true as const };
      });
    },

    async 'journal.saveMark'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.saveMark', input.idempotencyKey, async (tx) => {
        const { lesson, load, facts } = await cellOf(tx, input.lessonId, input.studentId);
        requireOpenYear(load);
        requireLessonWrite(caller, load, lesson);
        const env = await environmentOf(ctx, tx);
        const { nowLocal, today } = clock(ctx, env);
        const prepared = prepareMarkFrom(env, load, facts, input.value, input.workTypeId);
        requireCellOpen(env, today, lesson.date, facts.periodLocked);
        if (input.markId === undefined) {
          const late = !prepared.makeUp && isMarkLate(lesson.date, prepared.markDueDays, nowLocal);
          const row = await insertMark(tx, ctx, { lessonId: lesson.id, studentId: input.studentId, late }, prepared, input.comment);
          return markView(row, prepared.weight);
        }
        const current = await findMark(tx, input.markId);
        const key = cellKey(lesson.id, input.studentId);
        if (!current) throw await staleCell(tx, env, ['mark'], key, null, 'отметка удалена');
        if (current.lesson_id !== lesson.id || current.student_id !== input.studentId) throw notFound('Отметка не найдена в этой ячейке.');
        if (input.version === undefined) throw invalid('Не указана версия отметки, на которой основано изменение.', [{ path: 'version', message: 'Обязательно при изменении' }]);
        if (current.version !== input.version) {
          throw await staleCell(tx, env, ['mark'], key, markView(current, prepared.weight), `«${current.value}»`, { userId: current.updated_by, at: current.updated_at });
        }
        return markView(await updateMark(tx, ctx, current, prepared, input.comment), prepared.weight);
      });
    },

    async 'journal.deleteMark'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.deleteMark', input.idempotencyKey, async (tx) => {
        const current = await findMark(tx, input.markId);
        if (!current) throw notFound('Отметка уже удалена. Обновите страницу.');
        const { lesson, load } = await lessonAndLoad(tx, current.lesson_id);
        requireOpenYear(load);
        requireLessonWrite(caller, load, lesson);
        const env = await environmentOf(ctx, tx);
        requireCellOpen(env, clock(ctx, env).today, lesson.date, await periodLockedOn(tx, load.id, lesson.date));
        if (current.version !== input.version) {
          throw await staleCell(tx, env, ['mark'], cellKey(lesson.id, current.student_id), markView(current, 0), `«${current.value}»`, { userId: current.updated_by, at: current.updated_at });
        }
        await removeMark(tx, ctx, current);
        return { done: true as const };
      });
    },

    async 'journal.setAttendance'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.setAttendance', input.idempotencyKey, async (tx) => {
        const { lesson, load, facts } = await cellOf(tx, input.lessonId, input.studentId);
        requireOpenYear(load);
        requireLessonWrite(caller, load, lesson);
        const env = await environmentOf(ctx, tx);
        if (!facts.onList) throw notOnList();
        requireCellOpen(env, clock(ctx, env).today, lesson.date, facts.periodLocked);
        const current = facts.attendance;
        if ((current?.version ?? 0) !== input.version) {
          throw await staleCell(
            tx,
            env,
            ['attendance'],
            cellKey(lesson.id, input.studentId),
            current ? { code: current.code, version: current.version } : null,
            current ? `«${current.code}»` : 'без отметки о пропуске',
            current ? { userId: current.updated_by, at: current.updated_at } : undefined,
          );
        }
        if (current && isReasonCode(current.code) && input.code !== current.code) {
          throw forbidden(`Классный руководитель уже указал причину пропуска («${current.code}»); изменить её может он.`);
        }
        const cell = { lessonId: lesson.id, studentId: input.studentId };
        const result = await raceAsConflict(() => writeAttendance(tx, ctx, cell, current, input.code, 'attendance.set'));
        return result ?? { ...cell, code: null, version: 0 };
      });
    },

    async 'journal.setFinal'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.setFinal', input.idempotencyKey, async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        requireOwnLoad(caller, load);
        if (load.no_marks === 1) throw invalid(`В ${load.class_name} итоговые отметки не выставляются: безотметочное обучение.`);
        const env = await environmentOf(ctx, tx);
        let period: { id: number; starts_on: string; ends_on: string } | null = null;
        if (input.kind === 'period') {
          if (input.periodId === undefined) throw invalid('Укажите период итоговой отметки.', [{ path: 'periodId', message: 'Обязательно для отметки за период' }]);
          period = (await periodsOf(tx, load.year_id, load.grade)).find((p) => p.id === input.periodId) ?? null;
          if (!period) throw invalid('Этот учебный период не относится к классу.', [{ path: 'periodId', message: 'Чужой период' }]);
        } else if (input.periodId !== undefined) {
          throw invalid('Годовая, экзаменационная и итоговая отметки не относятся к периоду.', [{ path: 'periodId', message: 'Лишнее поле' }]);
        }
        const periodId = period?.id ?? null;
        const span = period ?? { starts_on: load.year_starts_on, ends_on: load.year_ends_on };
        const onList = (await studentsOfLoad(tx, load, span.starts_on, span.ends_on)).some((s) => s.id === input.studentId);
        if (!onList) throw invalid('Этого ученика нет в списке класса (группы) в этом периоде.');
        let value = '';
        if (!input.deferred) {
          const checked = checkMark(input.value, env.settings);
          if (!checked.ok) throw invalid(input.value === '' ? 'Укажите отметку или отложите её.' : checked.message, [{ path: 'value', message: checked.ok ? '' : checked.message }]);
          value = checked.value;
        }
        const current = await findFinal(tx, load.id, input.studentId, input.kind, periodId);
        const key = finalKey(load.id, input.studentId, input.kind, periodId);
        if (periodId !== null && (await periodLockOf(tx, load.id, periodId).then((l) => Boolean(l) && l!.reopened_at === null))) {
          // A deferred final may still be set after the period closed (002 §5.5).
          if (!(current?.deferred === 1 && !input.deferred)) {
            throw locked('Период закрыт: итоговые отметки выставлены. Исправить может администратор, открыв период.', { reason: 'periodLocked', requestable: false });
          }
        }
        if ((current?.version ?? 0) !== input.version) {
          throw await staleCell(tx, env, ['final_mark'], key, current ? finalView(current) : null, current ? `«${current.value || 'отложена'}»` : 'не выставлена', current ? { userId: current.updated_by, at: current.updated_at } : undefined);
        }
        const suggested = await suggestedFor(tx, env, load, input.studentId, input.kind, period);
        const at = ctx.now().toISOString();
        const row = await raceAsConflict(async () =>
          current
            ? await tx
                .updateTable('final_mark')
                .set({ value, suggested, deferred: input.deferred ? 1 : 0, updated_at: at, updated_by: caller.userId, version: current.version + 1 })
                .where('id', '=', current.id)
                .where('version', '=', current.version)
                .returningAll()
                .executeTakeFirstOrThrow()
            : await tx
                .insertInto('final_mark')
                .values({ load_id: load.id, student_id: input.studentId, kind: input.kind, period_id: periodId, value, suggested, deferred: input.deferred ? 1 : 0, updated_at: at, updated_by: caller.userId, version: 1 })
                .returningAll()
                .executeTakeFirstOrThrow(),
        );
        await ctx.audit(tx, { action: 'final.set', entity: 'final_mark', entityId: key, before: current ? finalSnapshot(current) : null, after: finalSnapshot(row) });

        // D-25: when every student on the list at the period's end has a final (or a deferral), the period closes.
        let periodLocked = false;
        if (period) {
          const lock = await periodLockOf(tx, load.id, period.id);
          periodLocked = Boolean(lock) && lock!.reopened_at === null;
          if (!periodLocked) {
            const end = period.ends_on;
            const due = (await studentsOfLoad(tx, load, period.starts_on, end)).filter((s) => s.to === null || s.to >= end);
            const set = await tx.selectFrom('final_mark').select(['student_id', 'value', 'deferred']).where('load_id', '=', load.id).where('kind', '=', 'period').where('period_id', '=', period.id).execute();
            const done = new Set(set.filter((f) => f.value !== '' || f.deferred === 1).map((f) => f.student_id));
            if (due.length > 0 && due.every((s) => done.has(s.id))) {
              await lockPeriod(tx, ctx, load.id, period.id, true);
              periodLocked = true;
            }
          }
        }
        return { ...finalView(row), periodLocked };
      });
    },

    async 'journal.lockPeriod'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        requireOwnLoad(caller, load);
        if (!(await periodsOf(tx, load.year_id, load.grade)).some((p) => p.id === input.periodId)) throw invalid('Этот учебный период не относится к классу.');
        await lockPeriod(tx, ctx, load.id, input.periodId, false);
        return { done: true as const };
      });
    },

    async 'journal.reopenPeriod'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        const lock = await periodLockOf(tx, load.id, input.periodId);
        if (!lock || lock.reopened_at !== null) throw invalid('Этот период не закрыт.');
        await tx.updateTable('period_lock').set({ reopened_at: ctx.now().toISOString(), reopened_by: caller.userId, reopen_reason: input.reason }).where('id', '=', lock.id).execute();
        await ctx.audit(tx, { action: 'period.reopen', entity: 'period_lock', entityId: `${load.id}:${input.periodId}`, before: { locked: true }, after: { locked: false }, reason: input.reason });
        return { done: true as const };
      });
    },

    async 'journal.cellHistory'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      if (input.lessonId !== undefined) {
        const { load } = await lessonAndLoad(db, input.lessonId);
        await requireReadAccess(db, caller, load);
        return historyOf(db, ['mark', 'attendance'], cellKey(input.lessonId, input.studentId));
      }
      if (input.loadId === undefined || input.kind === undefined) throw invalid('Укажите урок или итоговую отметку (страницу и вид).');
      const load = await requireLoad(db, input.loadId);
      await requireReadAccess(db, caller, load);
      return historyOf(db, ['final_mark'], finalKey(load.id, input.studentId, input.kind, input.periodId ?? null));
    },

    async 'attendance.classDay'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await db.selectFrom('school_class').select(['id', 'name', 'class_teacher_id']).where('id', '=', input.classId).executeTakeFirst();
      if (!schoolClass) throw notFound('Класс не найден.');
      const isClassTeacher = schoolClass.class_teacher_id === caller.userId;
      if (!isClassTeacher && !readsEverything(caller)) throw forbidden(`Посещаемость ${schoolClass.name} за день видит классный руководитель и администрация.`);
      const [lessons, absences, students] = await Promise.all([
        db
          .selectFrom('lesson as l')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .innerJoin('subject as s', 's.id', 'tl.subject_id')
          .innerJoin('app_user as u', 'u.id', 'l.given_by')
          .select(['l.id', 'l.load_id', 'l.lesson_number', 's.name as subject_name', 'u.full_name'])
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .orderBy('l.lesson_number')
          .orderBy('l.id')
          .execute(),
        db
          .selectFrom('attendance as a')
          .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .select(['a.lesson_id', 'a.student_id', 'a.code', 'a.version'])
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .execute(),
        studentsOfLoad(db, { class_id: schoolClass.id, subgroup_id: null }, input.date, input.date),
      ]);
      let unresolvedTotal = 0;
      return {
        classId: schoolClass.id,
        className: schoolClass.name,
        date: input.date,
        canResolve: isClassTeacher,
        lessons: lessons.map((l) => ({ lessonId: l.id, loadId: l.load_id, lessonNumber: l.lesson_number, subjectName: l.subject_name, teacherName: l.full_name })),
        students: students.map((s) => {
          const cells = absences.filter((a) => a.student_id === s.id).map((a) => ({ lessonId: a.lesson_id, code: a.code as 'ОТ', version: a.version }));
          const unresolved = cells.filter((c) => c.code === 'ОТ').length;
          unresolvedTotal += unresolved;
          return { studentId: s.id, fullName: s.fullName, cells, unresolved };
        }),
        unresolvedTotal,
      };
    },

    async 'attendance.resolve'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'attendance.resolve', input.idempotencyKey, async (tx) => {
        const { lesson, load } = await lessonAndLoad(tx, input.lessonId);
        requireOpenYear(load);
        requireClassTeacher(caller, load.class_teacher_id, load.class_name);
        const env = await environmentOf(ctx, tx);
        requireCellOpen(env, clock(ctx, env).today, lesson.date, false);
        const current = await findAttendance(tx, lesson.id, input.studentId);
        if (!current || current.code === 'ОП') throw invalid('Ученик не отмечен отсутствующим на этом уроке: причину указывать не для чего.');
        if (current.version !== input.version) {
          throw await staleCell(tx, env, ['attendance'], cellKey(lesson.id, input.studentId), { code: current.code, version: current.version }, `«${current.code}»`, { userId: current.updated_by, at: current.updated_at });
        }
        const result = await writeAttendance(tx, ctx, { lessonId: lesson.id, studentId: input.studentId }, current, input.code, 'attendance.resolve');
        return result!;
      });
    },

    async 'attendance.resolveDay'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'attendance.resolveDay', input.idempotencyKey, async (tx) => {
        const schoolClass = await tx
          .selectFrom('school_class as c')
          .innerJoin('academic_year as y', 'y.id', 'c.year_id')
          .select(['c.id', 'c.name', 'c.class_teacher_id', 'y.closed_at as year_closed_at'])
          .where('c.id', '=', input.classId)
          .executeTakeFirst();
        if (!schoolClass) throw notFound('Класс не найден.');
        requireOpenYear(schoolClass);
        requireClassTeacher(caller, schoolClass.class_teacher_id, schoolClass.name);
        const env = await environmentOf(ctx, tx);
        requireCellOpen(env, clock(ctx, env).today, input.date, false);
        const open = await tx
          .selectFrom('attendance as a')
          .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .selectAll('a')
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .where('a.student_id', '=', input.studentId)
          .where('a.code', '=', 'ОТ')
          .execute();
        for (const row of open) {
          await writeAttendance(tx, ctx, { lessonId: row.lesson_id, studentId: row.student_id }, row, input.code, 'attendance.resolve');
        }
        return { changed: open.length };
      });
    },

    async 'changes.request'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const target = input.target;
        const { lesson, load } = await lessonAndLoad(tx, target.lessonId);
        requireOpenYear(load);
        const env = await environmentOf(ctx, tx);
        const { today } = clock(ctx, env);
        let was: string | null = null;
        let proposed: string | null;
        let version: number | undefined;
        let closed: boolean;
        if (target.kind === 'lessonDate') {
          requireLessonWrite(caller, load, lesson);
          if (target.version !== undefined && target.version !== lesson.version) {
            throw await staleCell(tx, env, ['lesson'], String(lesson.id), lessonView(lesson, (await userName(tx, lesson.given_by)) ?? ''), `урок ${formatDate(lesson.date)}`);
          }
          if (target.date === lesson.date) throw invalid('Урок уже записан на эту дату: переносить нечего.', [{ path: 'target.date', message: 'Та же дата' }]);
          await requireLessonDate(tx, load, target.date, today);
          await requireMoveOutsideLockedPeriods(tx, load.id, lesson.date, target.date);
          closed = isPastEditWindow(lesson.date, today, env.settings.editWindowDays) || isPastEditWindow(target.date, today, env.settings.editWindowDays);
          was = lesson.date;
          version = lesson.version;
          proposed = target.date;
        } else if (target.kind === 'mark') {
          await requireStudentOnList(tx, load, target.studentId, lesson.date);
          requireLessonWrite(caller, load, lesson);
          const current = target.markId === undefined ? undefined : await findMark(tx, target.markId);
          if (target.markId !== undefined) {
            if (!current || current.lesson_id !== lesson.id || current.student_id !== target.studentId) throw notFound('Отметка не найдена в этой ячейке.');
            if (target.version !== undefined && target.version !== current.version) {
              throw await staleCell(tx, env, ['mark'], cellKey(lesson.id, target.studentId), markView(current, 0), `«${current.value}»`, { userId: current.updated_by, at: current.updated_at });
            }
            was = current.value;
            version = current.version;
          }
          if (target.value === null) {
            if (!current) throw invalid('Укажите, какую отметку удалить.');
            proposed = null;
          } else {
            const workTypeId = target.workTypeId ?? current?.work_type_id;
            if (workTypeId === undefined) throw invalid('Укажите вид работы.', [{ path: 'target.workTypeId', message: 'Обязательно для новой отметки' }]);
            proposed = (await prepareMark(tx, env, load, lesson, target.studentId, target.value, workTypeId)).value;
          }
          closed = await cellClosed(tx, env, today, load.id, lesson.date);
        } else {
          await requireStudentOnList(tx, load, target.studentId, lesson.date);
          const resolving = isReasonCode(target.code);
          const allowed = resolving ? load.class_teacher_id === caller.userId : mayWriteLesson(caller, load, lesson) || (target.code === 'ОТ' && load.class_teacher_id === caller.userId);
          if (!allowed) throw forbidden(resolving ? `Причину пропуска в ${load.class_name} указывает классный руководитель.` : 'Отмечать пропуски на этом уроке может только учитель, который его вёл.');
          const current = await findAttendance(tx, lesson.id, target.studentId);
          if (target.version !== undefined && target.version !== (current?.version ?? 0)) {
            throw await staleCell(tx, env, ['attendance'], cellKey(lesson.id, target.studentId), current ? { code: current.code, version: current.version } : null, current ? `«${current.code}»` : 'без отметки');
          }
          was = current?.code ?? null;
          version = current?.version ?? 0;
          proposed = target.code;
          closed = await cellClosed(tx, env, today, load.id, lesson.date);
        }
        if (!closed) throw invalid('Урок ещё в пределах срока исправления: измените запись сами, запрос не нужен.');
        const stored = { ...target, version, was, value: target.kind === 'mark' ? proposed : undefined };
        const row = await tx
          .insertInto('change_request')
          .values({ load_id: load.id, target: JSON.stringify(stored), proposed: JSON.stringify({ value: proposed }), reason: input.reason, requested_by: caller.userId, requested_at: ctx.now().toISOString(), status: 'pending', decided_by: null, decided_at: null, decision_note: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'change.request', entity: 'change_request', entityId: row.id, after: { target: stored, proposed }, reason: input.reason });
        return { id: row.id };
      });
    },

    async 'changes.list'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      let query = db
        .selectFrom('change_request as r')
        .innerJoin('teaching_load as tl', 'tl.id', 'r.load_id')
        .innerJoin('school_class as c', 'c.id', 'tl.class_id')
        .innerJoin('subject as s', 's.id', 'tl.subject_id')
        .innerJoin('app_user as ru', 'ru.id', 'r.requested_by')
        .leftJoin('app_user as du', 'du.id', 'r.decided_by')
        .select(['r.id', 'r.load_id', 'c.name as class_name', 's.name as subject_name', 'r.target', 'r.proposed', 'r.reason', 'ru.full_name as requested_by', 'r.requested_at', 'r.status', 'du.full_name as decided_by', 'r.decided_at', 'r.decision_note'])
        .orderBy('r.requested_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(input.limit);
      if (!hasPermission(caller.roles, 'journal.approve') && !readsEverything(caller)) query = query.where('r.requested_by', '=', caller.userId);
      if (input.status !== 'all') query = query.where('r.status', '=', input.status);
      const rows = await query.execute();
      const targets = rows.map((r) => JSON.parse(r.target) as ChangeTarget & { was: string | null });
      const lessonIds = [...new Set(targets.map((t) => t.lessonId))];
      const studentIds = [...new Set(targets.flatMap((t) => (t.kind === 'lessonDate' ? [] : [t.studentId])))];
      const [lessons, students] = await Promise.all([
        lessonIds.length ? db.selectFrom('lesson').select(['id', 'date']).where('id', 'in', lessonIds).execute() : Promise.resolve([]),
        studentIds.length ? db.selectFrom('student').select(['id', 'surname', 'name']).where('id', 'in', studentIds).execute() : Promise.resolve([]),
      ]);
      const dateOf = new Map(lessons.map((l) => [l.id, l.date]));
      const nameOf = new Map(students.map((s) => [s.id, `${s.surname} ${s.name}`]));
      return rows.map((r, index) => {
        const target = targets[index]!;
        return {
          id: r.id,
          loadId: r.load_id,
          className: r.class_name,
          subjectName: r.subject_name,
          studentName: target.kind === 'lessonDate' ? '' : (nameOf.get(target.studentId) ?? ''),
          lessonDate: dateOf.get(target.lessonId) ?? '',
          target,
          current: target.was,
          proposed: (JSON.parse(r.proposed) as { value: string | null }).value,
          reason: r.reason,
          requestedBy: r.requested_by,
          requestedAt: r.requested_at,
          status: r.status as 'pending' | 'approved' | 'rejected',
          decidedBy: r.decided_by,
          decidedAt: r.decided_at,
          decisionNote: r.decision_note,
        };
      });
    },

    async 'changes.approve'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const request = await tx.selectFrom('change_request').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!request) throw notFound('Запрос не найден.');
        if (request.status !== 'pending') throw conflict(`Запрос уже рассмотрен (${request.status === 'approved' ? 'одобрен' : 'отклонён'}).`, { status: request.status });
        if (request.requested_by === caller.userId) throw ownRequest();
        const env = await environmentOf(ctx, tx);
        await applyRequestedChange(tx, ctx, env, JSON.parse(request.target) as ChangeTarget & { version?: number }, { reason: request.reason, changeRequestId: request.id });
        const decided = await tx
          .updateTable('change_request')
          .set({ status: 'approved', decided_by: caller.userId, decided_at: ctx.now().toISOString(), decision_note: input.note })
          .where('id', '=', request.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(decided.numUpdatedRows) !== 1) throw conflict('Запрос только что рассмотрел другой сотрудник.');
        await ctx.audit(tx, { action: 'change.approve', entity: 'change_request', entityId: request.id, before: { status: 'pending' }, after: { status: 'approved', note: input.note }, reason: request.reason });
        return { done: true as const };
      });
    },

    async 'changes.reject'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const request = await tx.selectFrom('change_request').select(['requested_by']).where('id', '=', input.id).executeTakeFirst();
        if (request?.requested_by === caller.userId) throw ownRequest();
        const decided = await tx
          .updateTable('change_request')
          .set({ status: 'rejected', decided_by: caller.userId, decided_at: ctx.now().toISOString(), decision_note: input.note })
          .where('id', '=', input.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(decided.numUpdatedRows) !== 1) {
          const exists = await tx.selectFrom('change_request').select('status').where('id', '=', input.id).executeTakeFirst();
          if (!exists) throw notFound('Запрос не найден.');
          throw conflict('Запрос уже рассмотрен.', { status: exists.status });
        }
        await ctx.audit(tx, { action: 'change.reject', entity: 'change_request', entityId: input.id, before: { status: 'pending' }, after: { status: 'rejected' }, reason: input.note });
        return { done: true as const };
      });
    },

    async 'journal.revertCompromised'(input, ctx) {
      return ctx.transaction((tx) => revertCompromised(tx, ctx, input.userId, input.reason));
    },

    // A pasted block saved all-or-nothing, and the compromised-account review (batch.ts, compromised.ts).
    ...batchHandlers(),
    ...attendanceSpanHandlers(),
    ...compromisedHandlers(),
  });
}
