import { weekdayOf, russianDate } from '../../src-shared/rules/dates';
import { isHomeworkLate, isTopicLate } from '../../src-shared/rules/lateness';
import { conflict, forbidden, invalid, locked } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db } from '../store/database';
import { isTeacher, requireLessonCreate, requireLessonWrite, requireOpenYear, requireSameSlot } from './access';
import { lessonAndLoad, lessonGone, requireLoad, requireMoveOpen, staleCell } from './cells';
import { environmentOf, schoolClock } from './environment';
import { findLesson, lastLessonEnd, periodContaining, periodLockedOn, userName, type LessonRow } from './repository';
import { type LoadContext } from '../load/repository';
import { saveOnce } from './save-once';
import { lessonSnapshot, lessonView } from './views';

// A lesson of a journal page: its date, number, topic, homework and work types (D-16 … D-18).

export /** A lesson's date: not ahead of today (D-17), inside the year and one of the class's study periods. */
async function requireLessonDate(db: Db, load: LoadContext, date: string, today: string): Promise<void> {
  if (date > today) {
    const message = `Нельзя записать урок на будущую дату (${russianDate(date)}): записи заранее запрещены. Домашнее задание можно задать вперёд — укажите, на какую дату.`;
    throw invalid(message, [{ path: 'date', message }]);
  }
  if (date < load.year_starts_on || date > load.year_ends_on) throw invalid('Дата урока вне учебного года.', [{ path: 'date', message: 'Вне учебного года' }]);
  if (!(await periodContaining(db, load.year_id, load.grade, date))) {
    throw invalid(`${russianDate(date)} не входит ни в один учебный период ${load.class_name} (каникулы?).`, [{ path: 'date', message: 'Вне учебных периодов' }]);
  }
}

/**
 * A new lesson takes a row of its own load's КТП that its lessons have not yet covered (a row
 * of N hours takes N lessons); the topic may be worded by the teacher, the row is given.
 */
async function requirePlanRowFree(db: Db, loadId: number, planRowId: number): Promise<void> {
  const row = await db
    .selectFrom('plan_row as r')
    .innerJoin('plan as p', 'p.id', 'r.plan_id')
    .select(['r.number', 'r.topic', 'r.hours'])
    .where('r.id', '=', planRowId)
    .where('p.load_id', '=', loadId)
    .executeTakeFirst();
  if (!row) throw invalid('Этой темы нет в КТП этого предмета и класса.', [{ path: 'planRowId', message: 'Нет в КТП' }]);
  const given = await db.selectFrom('lesson').select('id').where('load_id', '=', loadId).where('plan_row_id', '=', planRowId).execute();
  if (given.length >= Math.max(row.hours, 1)) throw conflict(`Урок № ${row.number} по КТП («${row.topic}») уже дан. Откройте страницу заново: будет предложена следующая тема.`);
}

export function lessonHandlers() {
  return defineHandlers({
    async 'journal.saveLesson'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.saveLesson', input.idempotencyKey, async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        if (!isTeacher(caller)) throw forbidden('Уроки записывает учитель.');
        const createRight = input.lessonId === undefined ? await requireLessonCreate(tx, caller, load, input.date, input.lessonNumber) : null;
        const env = await environmentOf(ctx, tx);
        const { nowLocal, today } = schoolClock(ctx.now(), env);
        await requireLessonDate(tx, load, input.date, today);
        if (input.homeworkFor !== null && input.homeworkFor < input.date) {
          throw invalid('Домашнее задание задаётся на дату урока или позже.', [{ path: 'homeworkFor', message: 'Раньше даты урока' }]);
        }
        const workTypeIds = [...new Set(input.workTypeIds)];
        if (workTypeIds.length > 0) {
          const known = await tx.selectFrom('work_type').select('id').where('id', 'in', workTypeIds).execute();
          if (known.length !== workTypeIds.length) throw invalid('Такого вида работы нет в настройках школы.', [{ path: 'workTypeIds', message: 'Неизвестный вид работы' }]);
        }
        if (input.lessonId === undefined && input.planRowId !== null) await requirePlanRowFree(tx, load.id, input.planRowId);
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
        /**
         * Writes `changes` over `current` (its version checked and bumped): a topic or homework
         * entered for the first time is stamped now and judged for lateness (D-18); audited.
         */
        const updateLesson = async (current: LessonRow, changes: Partial<typeof fields> & { topic: string; homework: string }) => {
          const firstTopic = !current.topic_entered_at && changes.topic !== '';
          const firstHomework = !current.homework_entered_at && changes.homework !== '';
          const row = await tx
            .updateTable('lesson')
            .set({
              ...changes,
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
          return row;
        };

        if (input.lessonId === undefined && input.idempotencyKey !== undefined && fields.lesson_number !== null) {
          // A creation queued on a PC (the outbox sends it with its key) may arrive after the
          // same lesson — its date and number — was written from another PC, or typed again
          // once the server was back: it is bound to that lesson instead of writing a second
          // one, and what it carries fills what the lesson still lacks (nothing typed is lost).
          const same = await tx
            .selectFrom('lesson')
            .selectAll()
            .where('load_id', '=', load.id)
            .where('date', '=', input.date)
            .where('lesson_number', '=', fields.lesson_number)
            .where('given_by', '=', caller.userId)
            .orderBy('id')
            .executeTakeFirst();
          if (same) {
            const fill = {
              topic: same.topic || input.topic,
              material: same.material || input.material,
              homework: same.homework || input.homework,
              homework_for: same.homework ? same.homework_for : input.homeworkFor,
              comment: same.comment || input.comment,
            };
            if (Object.entries(fill).every(([field, value]) => same[field as keyof typeof fill] === value)) return lessonView(same, caller.fullName);
            const row = await updateLesson(same, fill);
            return lessonView(row, caller.fullName);
          }
        }

        if (input.lessonId === undefined) {
          // A registered substitute gives this lesson: recorded now, at entry.
          const substitution = load.teacher_id !== caller.userId;
          const row = await tx
            .insertInto('lesson')
            .values({
              load_id: load.id,
              ...fields,
              plan_row_id: input.planRowId,
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
        const row = await updateLesson(current, fields);
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
  });
}
