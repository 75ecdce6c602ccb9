import type { CompromisedChange } from '../../src-shared/contract/journal';
import { notFound } from '../core/errors';
import type { HandlerMap } from '../core/handlers';
import type { Db } from '../store/database';
import { auditPlaces, placeText } from './audit-places';
import { revertCompromised } from './revert';
import { journalActionTitles } from '../../src-shared/rules/journal-actions';

// D-44, the administrator's review: every change a compromised account made since the
// reported moment, said the way a deputy reads the paper journal (class · subject · date ·
// student, was → became), and for each whether the revert (revert.ts) undid it, left it
// (someone changed the record afterwards) or has not run yet. Outcomes come from the
// revert's own audit records, so the list tells the same story after a restart.

const JOURNAL_ENTITIES = new Set(['lesson', 'mark', 'attendance', 'final_mark']);
const LIMIT = 2000;

const titles = journalActionTitles;

const MANUAL = 'не относится к отметкам и урокам: проверьте и при необходимости исправьте вручную';
const NOTHING_TO_UNDO = 'отменять нечего';

type Json = Record<string, unknown> | null;
const parse = (text: string | null): Json => (text ? (JSON.parse(text) as Json) : null);

/** The value a record shows in «было → стало»: a mark, a code, a final, a topic. */
function shown(entity: string, value: Json): string | null {
  if (!value || value.deleted) return null;
  if (entity === 'mark') return typeof value.value === 'string' ? value.value : null;
  if (entity === 'attendance') return typeof value.code === 'string' ? value.code : null;
  if (entity === 'final_mark') return value.deferred ? 'отложена' : typeof value.value === 'string' && value.value !== '' ? value.value : null;
  if (entity === 'lesson') return `тема «${typeof value.topic === 'string' && value.topic ? value.topic : '—'}»`;
  return null;
}

interface RevertRun {
  upToAuditId?: number;
  reverted?: number;
  skipped?: number;
  revertedAuditIds?: number[];
  skippedAudit?: { auditId: number; why: string }[];
}

export async function compromisedChanges(db: Db, userId: number) {
  const user = await db.selectFrom('app_user').select(['id', 'compromised_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('Учётная запись не найдена.');
  if (!user.compromised_at) return { compromisedAt: null, reverts: [], changes: [] };

  const [records, runs] = await Promise.all([
    db
      .selectFrom('audit_log')
      .select(['id', 'at', 'action', 'entity', 'entity_id', 'before_json', 'after_json'])
      .where('user_id', '=', userId)
      .where('at', '>=', user.compromised_at)
      .where('action', 'not like', 'auth.%')
      .orderBy('id', 'desc')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('audit_log as a')
      .leftJoin('app_user as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.at', 'u.full_name', 'a.reason', 'a.after_json'])
      .where('a.entity', '=', 'app_user')
      .where('a.entity_id', '=', String(userId))
      .where('a.action', '=', 'journal.revertCompromised')
      .orderBy('a.id', 'desc')
      .execute(),
  ]);

  const reverted = new Set<number>();
  const skipped = new Map<number, string>();
  let coveredUpTo = 0;
  let legacyRun = false; // a run from before the ids were kept: what it covered counts as undone
  const reverts = runs.map((run) => {
    const after = (parse(run.after_json) ?? {}) as RevertRun;
    coveredUpTo = Math.max(coveredUpTo, after.upToAuditId ?? 0);
    if (!after.revertedAuditIds) legacyRun = true;
    for (const id of after.revertedAuditIds ?? []) reverted.add(id);
    for (const item of after.skippedAudit ?? []) skipped.set(item.auditId, item.why);
    return { at: run.at, byName: run.full_name, reason: run.reason, reverted: after.reverted ?? 0, skipped: after.skipped ?? 0 };
  });

  // Where each change was: lesson and final cells name class, subject, date, student.
  const parsed = records.map((r) => ({ ...r, before: parse(r.before_json), after: parse(r.after_json) }));
  const places = await auditPlaces(db, parsed);

  const changes: CompromisedChange[] = parsed.map((r, index) => {
    let outcome: CompromisedChange['outcome'];
    let why: string | null = null;
    if (!JOURNAL_ENTITIES.has(r.entity)) {
      outcome = 'manual';
      why = MANUAL;
    } else if (reverted.has(r.id)) outcome = 'reverted';
    else if (skipped.has(r.id)) {
      outcome = 'skipped';
      why = skipped.get(r.id)!;
    } else if (r.id <= coveredUpTo) {
      outcome = legacyRun ? 'reverted' : 'skipped';
      why = legacyRun ? null : NOTHING_TO_UNDO;
    } else outcome = 'pending';
    return {
      auditId: r.id,
      at: r.at,
      action: r.action,
      title: titles[r.action] ?? null,
      entity: r.entity,
      place: placeText(r.entity, places[index] ?? null),
      before: shown(r.entity, r.before),
      after: shown(r.entity, r.after),
      outcome,
      why,
      raw: JOURNAL_ENTITIES.has(r.entity) ? null : { before: r.before, after: r.after },
    };
  });
  return { compromisedAt: user.compromised_at, reverts, changes };
}

export function compromisedHandlers(): HandlerMap<'journal.compromisedChanges' | 'journal.revertCompromised'> {
  return {
    'journal.compromisedChanges': (input, ctx) => compromisedChanges(ctx.store.db, input.userId),
    'journal.revertCompromised': (input, ctx) => ctx.transaction((tx) => revertCompromised(tx, ctx, input.userId, input.reason)),
  };
}
