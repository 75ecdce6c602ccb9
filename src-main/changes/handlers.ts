import { russianDate } from '../../src-shared/rules/dates';
import type { ChangeTarget } from '../../src-shared/contract/journal';
import { isReasonCode } from '../../src-shared/rules/attendance';
import { isPastEditWindow } from '../../src-shared/rules/edit-window';
import { isMarkLate } from '../../src-shared/rules/lateness';
import { hasPermission } from '../../src-shared/roles';
import type { HandlerContext } from '../core/context';
import { conflict, forbidden, invalid, locked, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Tx } from '../store/database';
import { mayWriteLesson, readsEverything, requireLessonWrite, requireOpenYear } from '../journal/access';
import { cellKey, insertMark, lessonAndLoad, markView, prepareMark, removeMark, requireStudentOnList, staleCell, updateMark, writeAttendance, type ChangeOrigin } from '../journal/cells';
import { environmentOf, schoolClock } from '../journal/environment';
import { requireLessonDate } from '../journal/lessons';
import { findAttendance, findMark, periodLockedOn, userName, type Environment } from '../journal/repository';
import { lessonSnapshot, lessonView } from '../journal/views';
import { loadContextQuery } from '../load/repository';

// Change requests (changes.*, D-25): a late change to a lesson's date, a mark or an absence
// is asked for by the teacher and decided by the administration, never by the one who asked.

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
    await requireLessonDate(tx, load, target.date, schoolClock(ctx.now(), env).today);
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
      const late = !prepared.makeUp && isMarkLate(lesson.date, prepared.markDueDays, schoolClock(ctx.now(), env).nowLocal);
      await insertMark(tx, ctx, { lessonId: lesson.id, studentId: target.studentId, late }, prepared, target.comment, origin);
    }
    return;
  }
  const current = await findAttendance(tx, target.lessonId, target.studentId);
  if ((current?.version ?? 0) !== (target.version ?? 0)) throw stale();
  await writeAttendance(tx, ctx, { lessonId: target.lessonId, studentId: target.studentId }, current, target.code, isReasonCode(target.code) ? 'attendance.resolve' : 'attendance.set', origin);
}

export function changeRequestHandlers() {
  return defineHandlers({
    async 'changes.request'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const target = input.target;
        const { lesson, load } = await lessonAndLoad(tx, target.lessonId);
        requireOpenYear(load);
        const env = await environmentOf(ctx, tx);
        const { today } = schoolClock(ctx.now(), env);
        let was: string | null = null;
        let proposed: string | null;
        let version: number | undefined;
        let closed: boolean;
        if (target.kind === 'lessonDate') {
          requireLessonWrite(caller, load, lesson);
          if (target.version !== undefined && target.version !== lesson.version) {
            throw await staleCell(tx, env, ['lesson'], String(lesson.id), lessonView(lesson, (await userName(tx, lesson.given_by)) ?? ''), `урок ${russianDate(lesson.date)}`);
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
      let query = loadContextQuery(db)
        .innerJoin('change_request as r', 'r.load_id', 'tl.id')
        .innerJoin('app_user as ru', 'ru.id', 'r.requested_by')
        .leftJoin('app_user as du', 'du.id', 'r.decided_by')
        .select(['r.id as request_id', 'r.load_id', 'r.target', 'r.proposed', 'r.reason', 'ru.full_name as requested_by', 'r.requested_at', 'r.status', 'du.full_name as decided_by', 'r.decided_at', 'r.decision_note'])
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
          id: r.request_id,
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
  });
}
