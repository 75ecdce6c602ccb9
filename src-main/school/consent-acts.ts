import type { ConsentDestructionAct } from '../../src-shared/contract/school';
import type { HandlerContext } from '../core/context';
import { conflict } from '../core/errors';
import type { Db, Tx } from '../store/database';
import { isUniqueViolation } from './db-errors';
import { fullNameOf } from './people';

// D-45 (000 §3.2–3.6, Appendix 1): after a student leaves the school — departure by order or
// graduation — the consents to process their personal data are destroyed and an act of
// destruction is drawn up. The consent rows are kept, marked destroyed and pointing at the
// act, so the act stays attributable; the act keeps the names as text.

export type DestructionReason = ConsentDestructionAct['reason'];

export interface Departure {
  studentId: number;
  className: string;
  reason: DestructionReason;
  departureOrder: string;
  /** The student's last day in the school. */
  departedOn: string;
  /** The school's today. */
  today: string;
}

/**
 * Destroys the student's consents still kept and draws up the act, inside the caller's
 * transaction; returns the act's id, or null when there was nothing to destroy.
 * The act is dated the day of leaving, or today when the departure is recorded later.
 */
export async function drawUpDestructionAct(tx: Tx, ctx: HandlerContext, departure: Departure): Promise<number | null> {
  const consents = await tx.selectFrom('consent').selectAll().where('student_id', '=', departure.studentId).where('destroyed_on', 'is', null).orderBy('given_on').orderBy('id').execute();
  if (consents.length === 0) return null;
  const student = await tx.selectFrom('student').select(['surname', 'name', 'patronymic']).where('id', '=', departure.studentId).executeTakeFirstOrThrow();
  const caller = ctx.requireCaller();
  const drawnUpOn = departure.departedOn > departure.today ? departure.departedOn : departure.today;
  const last = await tx.selectFrom('consent_destruction_act').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const listed = consents.map((c) => ({ consentId: c.id, givenBy: c.given_by as 'student' | 'parent', giverName: c.giver_name, givenOn: c.given_on, withdrawnOn: c.withdrawn_on }));
  let actId: number;
  try {
    const act = await tx
      .insertInto('consent_destruction_act')
      .values({
        number,
        drawn_up_on: drawnUpOn,
        student_id: departure.studentId,
        student_name: fullNameOf(student),
        class_name: departure.className,
        reason: departure.reason,
        departure_order: departure.departureOrder,
        consents: JSON.stringify(listed),
        drawn_up_by: caller.userId,
        drawn_up_by_name: caller.fullName,
        created_at: ctx.now().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    actId = act.id;
  } catch (error) {
    // Two departures recorded at the same moment took the same number: the whole change is rolled back.
    if (isUniqueViolation(error)) throw conflict('Номер акта уничтожения согласий только что занят другим выбытием. Повторите действие.');
    throw error;
  }
  await tx
    .updateTable('consent')
    .set({ destroyed_on: drawnUpOn, destruction_act_id: actId })
    .where('id', 'in', consents.map((c) => c.id))
    .execute();
  await ctx.audit(tx, {
    action: 'consent.destroy',
    entity: 'consent_destruction_act',
    entityId: actId,
    after: { number, drawnUpOn, studentName: fullNameOf(student), className: departure.className, reason: departure.reason, consents: listed.length },
  });
  return actId;
}

export interface ActFilter {
  studentId?: number;
  from?: string;
  to?: string;
}

export async function listConsentActs(db: Db, filter: ActFilter): Promise<ConsentDestructionAct[]> {
  let query = db.selectFrom('consent_destruction_act').selectAll();
  if (filter.studentId !== undefined) query = query.where('student_id', '=', filter.studentId);
  if (filter.from !== undefined) query = query.where('drawn_up_on', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('drawn_up_on', '<=', filter.to);
  const rows = await query.orderBy('number').execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    drawnUpOn: r.drawn_up_on,
    studentId: r.student_id,
    studentName: r.student_name,
    className: r.class_name,
    reason: r.reason as DestructionReason,
    departureOrder: r.departure_order,
    consents: JSON.parse(r.consents) as ConsentDestructionAct['consents'],
    drawnUpBy: r.drawn_up_by_name,
  }));
}

/** The act a destroyed consent went by, for refusals that name it. */
export async function actOfConsent(db: Db, actId: number | null) {
  if (actId === null) return null;
  return db.selectFrom('consent_destruction_act').select(['number', 'drawn_up_on']).where('id', '=', actId).executeTakeFirst();
}
