import type { StudentParent } from '../../src-shared/contract/parents';
import { normalizePhone } from '../../src-shared/rules/contacts';
import { russianDate } from '../../src-shared/rules/dates';
import { hasPermission } from '../../src-shared/roles';
import type { Caller } from '../core/context';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Tx } from '../store/database';
import type { StudentParentTable } from '../school/tables';
import { currentEnrollment } from '../school/people';
import { schoolToday } from '../school/years';
import { levelForStudent, personalDataReader } from './visibility';

// Parents and legal representatives (000 §4.6.2–4.6.4): the class teacher keeps her class's,
// the secretary (and the administrator) the whole school's (D-5, D-6); their consent to
// processing their own data with its dates (D-45). Changes are audited like a student's.

type ParentRow = { [K in keyof StudentParentTable]: K extends 'id' ? number : StudentParentTable[K] };

export function parentConsentInForce(row: Pick<ParentRow, 'consent_given_on' | 'consent_withdrawn_on'>, date: string): boolean {
  return row.consent_given_on !== null && row.consent_given_on <= date && (row.consent_withdrawn_on === null || row.consent_withdrawn_on > date);
}

function toParent(row: ParentRow, today: string): StudentParent {
  return {
    id: row.id,
    studentId: row.student_id,
    fullName: row.full_name,
    relation: row.relation as StudentParent['relation'],
    phone: row.phone,
    address: row.address,
    receivesPaper: row.receives_paper === 1,
    consentGivenOn: row.consent_given_on,
    consentWithdrawnOn: row.consent_withdrawn_on,
    consentMissing: !parentConsentInForce(row, today),
  };
}

/** The parents of these students, by student, the paper's receiver first. */
export async function parentsOf(db: Db, studentIds: readonly number[], today: string): Promise<Map<number, StudentParent[]>> {
  const result = new Map<number, StudentParent[]>();
  const unique = [...new Set(studentIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('student_parent')
      .selectAll()
      .where('student_id', 'in', unique.slice(i, i + 500))
      .orderBy('receives_paper', 'desc')
      .orderBy('id')
      .execute();
    for (const row of rows) result.set(row.student_id, [...(result.get(row.student_id) ?? []), toParent(row, today)]);
  }
  return result;
}

/**
 * Students of the class on the date with no parent or legal representative recorded: the
 * class teacher hands their paper over herself, and the class list says «родитель не указан».
 */
export async function studentsWithoutParent(db: Db, classId: number, date: string): Promise<number[]> {
  const rows = await db
    .selectFrom('enrollment as e')
    .select('e.student_id')
    .where('e.class_id', '=', classId)
    .where('e.arrived_on', '<=', date)
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', date)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('student_parent as p').select('p.id').whereRef('p.student_id', '=', 'e.student_id'))))
    .orderBy('e.student_id')
    .execute();
  return [...new Set(rows.map((r) => r.student_id))];
}

/** Of these students, those with at least one parent or legal representative recorded. */
export async function studentsWithParent(db: Db, studentIds: readonly number[]): Promise<Set<number>> {
  if (studentIds.length === 0) return new Set();
  const rows = await db.selectFrom('student_parent').select('student_id').distinct().where('student_id', 'in', [...studentIds]).execute();
  return new Set(rows.map((row) => row.student_id));
}

/** The secretary and the administrator keep every student's data; a class teacher her class's (D-5, D-6). */
export async function requireKeeperOf(db: Db, caller: Caller, studentId: number): Promise<void> {
  if (hasPermission(caller.roles, 'school.people')) return;
  const enrollment = await currentEnrollment(db, studentId);
  if (enrollment) {
    const schoolClass = await db.selectFrom('school_class').select('class_teacher_id').where('id', '=', enrollment.class_id).executeTakeFirstOrThrow();
    if (schoolClass.class_teacher_id === caller.userId) return;
  }
  throw forbidden('Сведения об ученике и его родителях ведёт классный руководитель его класса или секретарь.');
}

interface ParentFields {
  fullName: string;
  relation: string;
  phone: string;
  address: string;
  receivesPaper: boolean;
  consentGivenOn: string | null;
  consentWithdrawnOn: string | null;
}

/** The checks the schema cannot make (the school's today); the phone in one shape. */
async function checkedColumns(tx: Tx, fields: ParentFields, now: Date) {
  const today = await schoolToday(tx, now);
  const { consentGivenOn: given, consentWithdrawnOn: withdrawn } = fields;
  if (given !== null && given > today) throw invalid(`Дата согласия ${russianDate(given)} ещё не наступила.`, [{ path: 'consentGivenOn', message: 'Дата ещё не наступила' }]);
  if (withdrawn !== null && given === null) throw invalid('Отзыв согласия без даты самого согласия: укажите, когда оно было дано.', [{ path: 'consentGivenOn', message: 'Укажите дату согласия' }]);
  if (withdrawn !== null && withdrawn > today) throw invalid(`Дата отзыва ${russianDate(withdrawn)} ещё не наступила.`, [{ path: 'consentWithdrawnOn', message: 'Дата ещё не наступила' }]);
  if (withdrawn !== null && given !== null && withdrawn < given) {
    throw invalid(`Дата отзыва ${russianDate(withdrawn)} раньше даты согласия ${russianDate(given)}.`, [{ path: 'consentWithdrawnOn', message: 'Раньше даты согласия' }]);
  }
  return {
    today,
    columns: {
      full_name: fields.fullName,
      relation: fields.relation,
      phone: fields.phone === '' ? '' : normalizePhone(fields.phone)!,
      address: fields.address,
      receives_paper: fields.receivesPaper ? 1 : 0,
      consent_given_on: given,
      consent_withdrawn_on: withdrawn,
    },
  };
}

/** At most one parent receives the paper: choosing one takes it from the others. */
async function onlyReceiver(tx: Tx, studentId: number, parentId: number, receives: boolean) {
  if (!receives) return;
  await tx.updateTable('student_parent').set({ receives_paper: 0 }).where('student_id', '=', studentId).where('id', '!=', parentId).execute();
}

/** What the audit keeps of a parent: every field, so a correction shows before → after. */
function audited(parent: StudentParent) {
  const { id: _id, studentId: _studentId, consentMissing: _consentMissing, ...fields } = parent;
  return fields;
}

export function parentHandlers() {
  return defineHandlers({
    async 'students.parents.list'(input, ctx) {
      const db = ctx.store.db;
      const student = await db.selectFrom('student').select('id').where('id', '=', input.studentId).executeTakeFirst();
      if (!student) throw notFound('Ученик не найден.');
      const reader = await personalDataReader(db, ctx.requireCaller());
      if ((await levelForStudent(db, reader, input.studentId)) !== 'full') {
        throw forbidden('Сведения о родителях видят классный руководитель, секретарь и администрация.');
      }
      return (await parentsOf(db, [input.studentId], await schoolToday(db, ctx.now()))).get(input.studentId) ?? [];
    },

    async 'students.parents.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const student = await tx.selectFrom('student').select('id').where('id', '=', input.studentId).executeTakeFirst();
        if (!student) throw notFound('Ученик не найден.');
        await requireKeeperOf(tx, ctx.requireCaller(), input.studentId);
        const { today, columns } = await checkedColumns(tx, input, ctx.now());
        const row = await tx
          .insertInto('student_parent')
          .values({ student_id: input.studentId, ...columns, created_at: ctx.now().toISOString() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await onlyReceiver(tx, input.studentId, row.id, input.receivesPaper);
        const parent = toParent(row, today);
        await ctx.audit(tx, { action: 'parent.add', entity: 'student', entityId: input.studentId, after: audited(parent) });
        return parent;
      });
    },

    async 'students.parents.update'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await tx.selectFrom('student_parent').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!before) throw notFound('Сведения о родителе не найдены.');
        await requireKeeperOf(tx, ctx.requireCaller(), before.student_id);
        const { today, columns } = await checkedColumns(tx, input, ctx.now());
        const row = await tx.updateTable('student_parent').set(columns).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
        await onlyReceiver(tx, row.student_id, row.id, input.receivesPaper);
        const parent = toParent(row, today);
        await ctx.audit(tx, { action: 'parent.update', entity: 'student', entityId: row.student_id, before: audited(toParent(before, today)), after: audited(parent) });
        return parent;
      });
    },

    async 'students.parents.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await tx.selectFrom('student_parent').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!before) throw notFound('Сведения о родителе не найдены.');
        await requireKeeperOf(tx, ctx.requireCaller(), before.student_id);
        await tx.deleteFrom('student_parent').where('id', '=', input.id).execute();
        const today = await schoolToday(tx, ctx.now());
        await ctx.audit(tx, { action: 'parent.remove', entity: 'student', entityId: before.student_id, before: audited(toParent(before, today)) });
        return { done: true as const };
      });
    },
  });
}
