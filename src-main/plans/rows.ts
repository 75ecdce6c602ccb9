import type { Insertable } from 'kysely';
import type { PlanRowInput } from '../../src-shared/contract/plans';
import { invalid } from '../core/errors';
import type { Tx } from '../store/database';
import { givenPerRow, planRowsOf } from './repository';
import type { PlanRowTable } from './tables';

// Writing a plan's rows: the grid, an imported file or a copy replaces the list; rows keep
// their ids where they can, so lessons stay linked to the topics they took.

export interface NewRow {
  id?: number;
  section: string;
  topic: string;
  hours: number;
  plannedDate: string | null;
  plannedWeek: number | null;
  controlWork: boolean;
  workTypeId: number | null;
  homework: string;
}

export function fromInput(row: PlanRowInput): NewRow {
  return {
    id: row.id,
    section: row.section ?? '',
    topic: row.topic,
    hours: row.hours,
    plannedDate: row.plannedDate ?? null,
    plannedWeek: row.plannedWeek ?? null,
    controlWork: row.controlWork ?? false,
    workTypeId: row.workTypeId ?? null,
    homework: row.homework ?? '',
  };
}

export interface RowsChange {
  added: number;
  changed: number;
  removed: number;
  hoursBefore: number;
  hoursAfter: number;
}

export function changeWords(change: RowsChange): string {
  const parts: string[] = [];
  if (change.changed) parts.push(`изменено уроков: ${change.changed}`);
  if (change.added) parts.push(`добавлено: ${change.added}`);
  if (change.removed) parts.push(`удалено: ${change.removed}`);
  if (change.hoursBefore !== change.hoursAfter) parts.push(`часов было ${change.hoursBefore}, стало ${change.hoursAfter}`);
  return parts.length > 0 ? parts.join('; ') : 'без изменений уроков';
}

/**
 * Replaces the plan's rows with `rows`, numbered in order. A row with an id keeps it; with
 * `byPosition`, rows without ids take the ids of the old rows at the same place (a file
 * replacing the plan keeps the lessons linked to their numbers). A row lessons took cannot go.
 */
export async function replaceRows(tx: Tx, planId: number, loadId: number, rows: readonly NewRow[], byPosition: boolean): Promise<RowsChange> {
  const existing = await planRowsOf(tx, planId);
  const byId = new Map(existing.map((r) => [r.id, r]));
  const ids = rows.map((r, index) => r.id ?? (byPosition ? existing[index]?.id : undefined));
  const seen = new Set<number>();
  ids.forEach((rowId, index) => {
    if (rowId === undefined) return;
    if (!byId.has(rowId) || seen.has(rowId)) throw invalid(`Строка ${index + 1}: такого урока в этом плане нет — обновите страницу.`, [{ path: `rows.${index}.id`, message: 'Нет в плане' }]);
    seen.add(rowId);
  });
  const workTypeIds = [...new Set(rows.map((r) => r.workTypeId).filter((v): v is number => v !== null))];
  if (workTypeIds.length > 0) {
    const known = await tx.selectFrom('work_type').select('id').where('id', 'in', workTypeIds).execute();
    if (known.length !== workTypeIds.length) throw invalid('Такого вида работы нет в настройках школы.', [{ path: 'rows', message: 'Неизвестный вид работы' }]);
  }
  const removed = existing.filter((r) => !seen.has(r.id));
  if (removed.length > 0) {
    const given = await givenPerRow(tx, loadId);
    const taken = removed.find((r) => (given.get(r.id) ?? 0) > 0);
    if (taken) throw invalid(`Урок ${taken.number} «${taken.topic}» уже дан в журнале: его нельзя удалить из плана. Измените его тему или перенесите строку.`, [{ path: 'rows', message: 'Урок уже дан' }]);
    await tx.deleteFrom('plan_row').where('id', 'in', removed.map((r) => r.id)).execute();
  }
  const inserts: Insertable<PlanRowTable>[] = [];
  let changed = 0;
  for (const [index, row] of rows.entries()) {
    const values = {
      number: index + 1,
      section: row.section,
      topic: row.topic,
      hours: row.hours,
      planned_date: row.plannedDate,
      planned_week: row.plannedWeek,
      control_work: row.controlWork ? 1 : 0,
      work_type_id: row.workTypeId,
      homework: row.homework,
    };
    const rowId = ids[index];
    if (rowId === undefined) {
      inserts.push({ plan_id: planId, ...values });
      continue;
    }
    const old = byId.get(rowId)!;
    const same =
      old.number === values.number &&
      old.section === values.section &&
      old.topic === values.topic &&
      old.hours === values.hours &&
      old.planned_date === values.planned_date &&
      old.planned_week === values.planned_week &&
      old.control_work === values.control_work &&
      old.work_type_id === values.work_type_id &&
      old.homework === values.homework;
    if (same) continue;
    await tx.updateTable('plan_row').set(values).where('id', '=', rowId).execute();
    changed += 1;
  }
  // One statement per 100 new rows: a 170-row file is two round trips, not 170.
  for (let at = 0; at < inserts.length; at += 100) {
    await tx.insertInto('plan_row').values(inserts.slice(at, at + 100)).execute();
  }
  return {
    added: inserts.length,
    changed,
    removed: removed.length,
    hoursBefore: existing.reduce((s, r) => s + r.hours, 0),
    hoursAfter: rows.reduce((s, r) => s + r.hours, 0),
  };
}
