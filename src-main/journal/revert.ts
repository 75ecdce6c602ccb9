import type { HandlerContext } from '../core/context';
import { invalid, notFound } from '../core/errors';
import type { Tx } from '../store/database';
import { removeMark, updateMark, writeAttendance, markSnapshot, type MarkSnapshot } from './cells';
import { findAttendance, findFinal, findLesson, findMark, type LessonRow } from './repository';
import { finalSnapshot } from './views';

// D-44: when an account is reported compromised, every journal operation made with it
// since the report is invalid. The administrator undoes them in one step: newest first,
// each put back to its audit "before" value, each undo itself audited with the reason.
// A record that someone else changed afterwards is left alone and listed.

const JOURNAL_ENTITIES = ['lesson', 'mark', 'attendance', 'final_mark'];
const LESSON_FIELDS = ['date', 'lesson_number', 'topic', 'material', 'homework', 'homework_for', 'work_types', 'comment'] as const;

interface Skipped {
  /** The compromised account's audit record that was left as is. */
  auditId: number;
  entity: string;
  entityId: string | null;
  why: string;
}

const CHANGED_LATER = 'после этого запись изменил другой пользователь — оставлена как есть';

export async function revertCompromised(tx: Tx, ctx: HandlerContext, userId: number, reason: string) {
  const user = await tx.selectFrom('app_user').select(['id', 'compromised_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('Учётная запись не найдена.');
  if (!user.compromised_at) throw invalid('Учётная запись не помечена скомпрометированной: сначала зарегистрируйте сообщение о компрометации.');

  // A second run continues after what the first one covered.
  const previous = await tx
    .selectFrom('audit_log')
    .select('after_json')
    .where('entity', '=', 'app_user')
    .where('entity_id', '=', String(userId))
    .where('action', '=', 'journal.revertCompromised')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const coveredUpTo = previous?.after_json ? ((JSON.parse(previous.after_json) as { upToAuditId?: number }).upToAuditId ?? 0) : 0;
  const newestAudit = await tx.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
  const records = await tx
    .selectFrom('audit_log')
    .select(['id', 'action', 'entity', 'entity_id', 'before_json', 'after_json'])
    .where('user_id', '=', userId)
    .where('at', '>=', user.compromised_at)
    .where('id', '>', coveredUpTo)
    .where('entity', 'in', JOURNAL_ENTITIES)
    .orderBy('id', 'desc')
    .execute();

  const origin = { reason: `Отмена действий скомпрометированной учётной записи: ${reason}` };
  const skipped: Skipped[] = [];
  const revertedIds: number[] = [];
  for (const record of records) {
    const before = record.before_json ? (JSON.parse(record.before_json) as Record<string, unknown>) : null;
    const after = record.after_json ? (JSON.parse(record.after_json) as Record<string, unknown>) : null;
    const skip = (why: string) => skipped.push({ auditId: record.id, entity: record.entity, entityId: record.entity_id, why });
    const [first = 0, second = 0] = (record.entity_id ?? '').split(':').map(Number);

    if (record.entity === 'mark') {
      const wasMark = before as MarkSnapshot | null;
      const madeMark = after && 'markId' in after ? (after as unknown as MarkSnapshot) : null;
      if (madeMark) {
        const current = await findMark(tx, madeMark.markId);
        if (!current || current.value !== madeMark.value || current.work_type_id !== madeMark.workTypeId || current.comment !== madeMark.comment) {
          skip(CHANGED_LATER);
          continue;
        }
        if (wasMark) {
          await updateMark(tx, ctx, current, { value: wasMark.value, workTypeId: wasMark.workTypeId, weight: 0, markDueDays: 0, makeUp: wasMark.makeUp }, wasMark.comment, origin);
        } else {
          await removeMark(tx, ctx, current, origin);
        }
      } else if (wasMark) {
        if ((await findMark(tx, wasMark.markId)) || !(await findLesson(tx, first))) {
          skip(CHANGED_LATER);
          continue;
        }
        const at = ctx.now().toISOString();
        const row = await tx
          .insertInto('mark')
          .values({
            id: wasMark.markId,
            lesson_id: first,
            student_id: second,
            value: wasMark.value,
            work_type_id: wasMark.workTypeId,
            comment: wasMark.comment,
            make_up: wasMark.makeUp ? 1 : 0,
            created_at: wasMark.createdAt,
            created_by: wasMark.createdBy,
            updated_at: at,
            updated_by: ctx.requireCaller().userId,
            version: 1,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'mark.create', entity: 'mark', entityId: record.entity_id, before: null, after: markSnapshot(row), reason: origin.reason });
      } else continue;
      revertedIds.push(record.id);
    } else if (record.entity === 'attendance') {
      const wasCode = (before?.code as string | null | undefined) ?? null;
      const madeCode = (after?.code as string | null | undefined) ?? null;
      const current = await findAttendance(tx, first, second);
      if ((current?.code ?? null) !== madeCode || !(await findLesson(tx, first))) {
        skip(CHANGED_LATER);
        continue;
      }
      await writeAttendance(tx, ctx, { lessonId: first, studentId: second }, current, wasCode, 'attendance.set', origin);
      revertedIds.push(record.id);
    } else if (record.entity === 'final_mark') {
      const [loadId = 0, studentId = 0, kind = '', period = ''] = (record.entity_id ?? '').split(':');
      const periodId = period === '' ? null : Number(period);
      const current = await findFinal(tx, Number(loadId), Number(studentId), kind, periodId);
      if (!current || current.value !== after?.value || (current.deferred === 1) !== after?.deferred) {
        skip(CHANGED_LATER);
        continue;
      }
      if (before) {
        const row = await tx
          .updateTable('final_mark')
          .set({ value: before.value as string, deferred: before.deferred ? 1 : 0, suggested: before.suggested as string, updated_at: ctx.now().toISOString(), updated_by: ctx.requireCaller().userId, version: current.version + 1 })
          .where('id', '=', current.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'final.set', entity: 'final_mark', entityId: record.entity_id, before: finalSnapshot(current), after: finalSnapshot(row), reason: origin.reason });
      } else {
        await tx.deleteFrom('final_mark').where('id', '=', current.id).execute();
        await ctx.audit(tx, { action: 'final.set', entity: 'final_mark', entityId: record.entity_id, before: finalSnapshot(current), after: null, reason: origin.reason });
      }
      revertedIds.push(record.id);
    } else if (record.entity === 'lesson') {
      const lessonId = Number(record.entity_id);
      const current = await findLesson(tx, lessonId);
      if (record.action === 'lesson.delete') {
        if (current || !before) {
          skip(CHANGED_LATER);
          continue;
        }
        const row = await tx.insertInto('lesson').values({ ...(before as unknown as LessonRow), id: lessonId, version: 1 }).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'lesson.create', entity: 'lesson', entityId: lessonId, before: null, after: row, reason: origin.reason });
        revertedIds.push(record.id);
        continue;
      }
      const made = after as Partial<LessonRow> | null;
      if (!current || !made || LESSON_FIELDS.some((field) => current[field] !== made[field])) {
        skip(CHANGED_LATER);
        continue;
      }
      if (record.action === 'lesson.create') {
        const [mark, absence] = await Promise.all([
          tx.selectFrom('mark').select('id').where('lesson_id', '=', lessonId).limit(1).executeTakeFirst(),
          tx.selectFrom('attendance').select('lesson_id').where('lesson_id', '=', lessonId).limit(1).executeTakeFirst(),
        ]);
        if (mark || absence) {
          skip('на уроке есть отметки или пропуски других пользователей — урок оставлен');
          continue;
        }
        await tx.deleteFrom('lesson').where('id', '=', lessonId).execute();
        await ctx.audit(tx, { action: 'lesson.delete', entity: 'lesson', entityId: lessonId, before: current, after: null, reason: origin.reason });
      } else {
        const was = before as Partial<LessonRow>;
        const restored = Object.fromEntries(LESSON_FIELDS.map((field) => [field, was[field]])) as Pick<LessonRow, (typeof LESSON_FIELDS)[number]>;
        const row = await tx.updateTable('lesson').set({ ...restored, version: current.version + 1 }).where('id', '=', lessonId).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'lesson.update', entity: 'lesson', entityId: lessonId, before: current, after: row, reason: origin.reason });
      }
      revertedIds.push(record.id);
    }
  }

  const reverted = revertedIds.length;
  await ctx.audit(tx, {
    action: 'journal.revertCompromised',
    entity: 'app_user',
    entityId: userId,
    // The ids let the review list say, per change, whether it was undone (journal.compromisedChanges).
    after: { upToAuditId: newestAudit.id ?? 0, reverted, skipped: skipped.length, revertedAuditIds: revertedIds, skippedAudit: skipped.map((s) => ({ auditId: s.auditId, why: s.why })) },
    reason,
  });
  return { reverted, skipped };
}
