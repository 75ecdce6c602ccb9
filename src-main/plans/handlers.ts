import ExcelJS from 'exceljs';
import type { PlanView } from '../../src-shared/contract/plans';
import { russianDate } from '../../src-shared/rules/dates';
import { hasPermission } from '../../src-shared/roles';
import type { Caller, HandlerContext } from '../core/context';
import { conflict, forbidden, invalid, locked } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { JobRunner } from '../jobs/runner';
import { plural } from '../../src-shared/rules/plural';
import { loadContextQuery, type LoadContext } from '../load/repository';
import { escapeSpreadsheetText } from '../school/files/cell-escape';
import { readTable } from '../school/files/table-reader';
import { findYear, resolveYearId, schoolToday } from '../school/years';
import type { Db, Tx } from '../store/database';
import { fulfilmentOf } from './fulfilment';
import { parsePlanFile } from './import';
import { curriculumOf, planOf, planRowsOf, planView, requirePlanLoad, weeksByGrade } from './repository';
import { changeWords, fromInput, replaceRows, type NewRow } from './rows';

// The КТП (D-15): the load's teacher writes it (grid, file, copy), sends it for review; the
// deputy approves or returns it with a comment (D-2); a change after approval is a correction
// with a reason. Every write is audited; `version` turns a second editor's save into `conflict`.

/** Sees every load's plan and fulfilment: the administration; others see their own loads. */
function seesAll(caller: Caller): boolean {
  return hasPermission(caller.roles, 'journal.approve') || hasPermission(caller.roles, 'reports.control');
}

function requireOwnLoad(caller: Caller, load: LoadContext) {
  if (load.teacher_id !== caller.userId) throw forbidden('Изменять КТП может только учитель, ведущий этот предмет в этом классе.');
  if (load.year_closed_at) throw locked('Учебный год закрыт: КТП доступен только для чтения.', { reason: 'yearClosed', requestable: false });
}

function requireVersion(plan: { version: number } | undefined, version: number | null) {
  if ((plan?.version ?? null) !== version) {
    throw conflict('КТП за это время изменил другой пользователь (или на другом компьютере). Обновите страницу и повторите изменения.');
  }
}

type PlanRecord = NonNullable<Awaited<ReturnType<typeof planOf>>>;

/** The load's plan, created empty on first write. */
async function planForWrite(tx: Tx, ctx: HandlerContext, load: LoadContext): Promise<PlanRecord> {
  const existing = await planOf(tx, load.id);
  if (existing) return existing;
  const at = ctx.now().toISOString();
  const userId = ctx.requireCaller().userId;
  await tx
    .insertInto('plan')
    .values({ load_id: load.id, year_id: load.year_id, status: 'draft', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: userId, updated_at: at, updated_by: userId, version: 0 })
    .execute();
  return (await planOf(tx, load.id))!;
}

/** Writes new rows (and note) into the teacher's plan, as a correction when it is approved. */
async function writePlan(
  tx: Tx,
  ctx: HandlerContext,
  load: LoadContext,
  input: { version: number | null; rows: readonly NewRow[]; hoursNote?: string; reason?: string; byPosition: boolean; action: string; source?: string },
): Promise<void> {
  const caller = ctx.requireCaller();
  requireOwnLoad(caller, load);
  const before = await planOf(tx, load.id);
  requireVersion(before, input.version);
  if (before?.status === 'review') throw invalid('КТП на проверке у заместителя директора: изменить его можно после решения (утверждения или возврата).');
  const correcting = before?.status === 'approved';
  const reason = input.reason?.trim() ?? '';
  if (correcting && !reason) throw invalid('КТП утверждён: изменение — это корректировка, укажите её причину.', [{ path: 'reason', message: 'Укажите причину корректировки' }]);
  const plan = await planForWrite(tx, ctx, load);
  const change = await replaceRows(tx, plan.id, load.id, input.rows, input.byPosition);
  const at = ctx.now().toISOString();
  const hoursNote = input.hoursNote ?? plan.hours_note;
  await tx.updateTable('plan').set({ hours_note: hoursNote, updated_at: at, updated_by: caller.userId, version: plan.version + 1 }).where('id', '=', plan.id).execute();
  const summary = changeWords(change);
  if (correcting) {
    await tx.insertInto('plan_correction').values({ plan_id: plan.id, corrected_at: at, corrected_by: caller.userId, reason, summary }).execute();
  }
  await ctx.audit(tx, {
    action: correcting ? 'plan.correct' : input.action,
    entity: 'plan',
    entityId: plan.id,
    before: before ? { status: before.status, hours: change.hoursBefore, hoursNote: before.hours_note } : null,
    after: { status: plan.status, hours: change.hoursAfter, hoursNote, change: summary, ...(input.source ? { source: input.source } : {}) },
    reason: correcting ? reason : null,
  });
}

async function viewFor(db: Db, ctx: HandlerContext, loadId: number): Promise<PlanView> {
  const caller = ctx.requireCaller();
  return planView(db, await requirePlanLoad(db, loadId), caller);
}

async function yearOf(ctx: HandlerContext, yearId: number | undefined) {
  const db = ctx.store.db;
  const today = await schoolToday(db, ctx.now());
  const resolved = await resolveYearId(db, yearId, today);
  const year = resolved === null ? undefined : await findYear(db, resolved);
  if (!year) throw invalid('Сначала создайте учебный год.');
  return { year, today };
}

async function loadsOfYear(db: Db, caller: Caller, yearId: number): Promise<LoadContext[]> {
  let query = loadContextQuery(db).where('tl.year_id', '=', yearId);
  if (!seesAll(caller)) query = query.where('tl.teacher_id', '=', caller.userId);
  return query.orderBy('c.grade').orderBy('c.letter').orderBy('s.sort_order').orderBy('s.name').orderBy('sg.name').execute();
}

const EXPORT_HEADER = ['№', 'Раздел', 'Тема урока', 'Часы', 'Дата по плану', 'Неделя', 'Контрольная работа', 'Вид работы', 'Домашнее задание'];

export const PLAN_IMPORT_KIND = 'plans.import';
const PLAN_IMPORT_STEPS = { read: 'Чтение файла', check: 'Проверка строк', write: 'Запись КТП' } as const;

/** The file read and checked against the load's year and the school's work types. */
async function readPlanFile(db: Db, load: LoadContext, input: { content: string; fileName: string; sheet?: string | undefined }) {
  let table = await readTable(input.content, input.fileName, input.sheet);
  const [year, workTypes] = await Promise.all([
    db.selectFrom('academic_year').select(['name', 'starts_on', 'ends_on']).where('id', '=', load.year_id).executeTakeFirstOrThrow(),
    db.selectFrom('work_type').select(['id', 'name']).execute(),
  ]);
  let parsed = parsePlanFile(table, year, workTypes);
  // A book of several sheets (a title page first, notes…): unless the teacher chose one,
  // the first sheet where a plan's headers are found.
  const headersFound = (p: typeof parsed) => p.result.columns.length > 0;
  if (input.sheet === undefined && !headersFound(parsed)) {
    for (const name of (table.sheetNames ?? []).filter((n) => n !== table.sheetName)) {
      const other = await readTable(input.content, input.fileName, name);
      const tried = parsePlanFile(other, year, workTypes);
      if (headersFound(tried)) {
        table = other;
        parsed = tried;
        break;
      }
    }
  }
  return parsed;
}

export function planHandlers(jobs: JobRunner) {
  return defineHandlers({
    async 'plans.loads'(input, ctx) {
      const caller = ctx.requireCaller();
      const { year } = await yearOf(ctx, input.yearId);
      const db = ctx.store.db;
      const [loads, plans, weeksOf, curriculum] = await Promise.all([
        loadsOfYear(db, caller, year.id),
        db
          .selectFrom('plan as p')
          .leftJoin('plan_row as r', 'r.plan_id', 'p.id')
          .select((eb) => ['p.load_id', 'p.status', eb.fn.count<number>('r.id').as('rows'), eb.fn.coalesce(eb.fn.sum<number>('r.hours'), eb.lit(0)).as('hours')])
          .where('p.year_id', '=', year.id)
          .groupBy(['p.load_id', 'p.status'])
          .execute(),
        weeksByGrade(db, year.id),
        db.selectFrom('curriculum_hours').select(['subject_id', 'grade', 'hours_per_week']).where('year_id', '=', year.id).execute(),
      ]);
      const byLoad = new Map(plans.map((p) => [p.load_id, p]));
      const weekly = new Map(curriculum.map((c) => [`${c.subject_id}:${c.grade}`, Number(c.hours_per_week)]));
      const loadHours = new Map((await db.selectFrom('teaching_load').select(['id', 'hours_per_week']).where('year_id', '=', year.id).execute()).map((l) => [l.id, Number(l.hours_per_week)]));
      return loads.map((load) => {
        const plan = byLoad.get(load.id);
        const perWeek = weekly.get(`${load.subject_id}:${load.grade}`) ?? loadHours.get(load.id) ?? 0;
        return {
          loadId: load.id,
          className: load.class_name,
          subjectName: load.subject_name,
          subgroupName: load.subgroup_name,
          teacherName: load.teacher_name,
          mine: load.teacher_id === caller.userId,
          status: (plan?.status ?? 'none') as PlanView['status'],
          rows: Number(plan?.rows ?? 0),
          plannedHours: Number(plan?.hours ?? 0),
          curriculumHours: Math.round(perWeek * weeksOf(load.grade)),
        };
      });
    },

    async 'plans.get'(input, ctx) {
      return viewFor(ctx.store.db, ctx, input.loadId);
    },

    async 'plans.save'(input, ctx) {
      await ctx.transaction(async (tx) => {
        const load = await requirePlanLoad(tx, input.loadId);
        await writePlan(tx, ctx, load, { version: input.version, rows: input.rows.map(fromInput), hoursNote: input.hoursNote, reason: input.reason, byPosition: false, action: 'plan.save' });
      });
      return viewFor(ctx.store.db, ctx, input.loadId);
    },

    async 'plans.import'(input, ctx) {
      const db = ctx.store.db;
      const load = await requirePlanLoad(db, input.loadId);
      requireOwnLoad(ctx.requireCaller(), load);
      return (await readPlanFile(db, load, input)).result;
    },

    async 'plans.importApply'(input, ctx) {
      const caller = ctx.requireCaller();
      const load = await requirePlanLoad(ctx.store.db, input.loadId);
      requireOwnLoad(caller, load);
      return jobs.start({
        kind: PLAN_IMPORT_KIND,
        title: `Загрузка КТП: ${load.class_name}, ${load.subject_name}`,
        owner: { userId: caller.userId, fullName: caller.fullName },
        total: 3,
        cancelled: 'Загрузка КТП остановлена: ничего не записано, план прежний.',
        run: async (job) => {
          job.working(PLAN_IMPORT_STEPS.read);
          const parsed = await readPlanFile(ctx.store.db, load, input);
          job.unitDone({ label: PLAN_IMPORT_STEPS.read, summary: `${parsed.rows.length} ${plural(parsed.rows.length, 'урок', 'урока', 'уроков')}` });
          job.signal.throwIfAborted();
          job.working(PLAN_IMPORT_STEPS.check);
          if (parsed.result.fileErrors.length > 0) throw invalid(`Файл не загружен, ничего не записано: ${parsed.result.fileErrors.join(' ')}`, { fileErrors: parsed.result.fileErrors });
          const bad = parsed.result.rows.filter((r) => r.errors.length > 0);
          if (bad.length > 0) {
            const more = bad.length > 1 ? ` Ещё строк с ошибками: ${bad.length - 1}.` : '';
            throw invalid(`Файл не загружен, ничего не записано. Строка ${bad[0]!.row}: ${bad[0]!.errors.join('; ')}.${more}`, { rows: bad.map((r) => ({ row: r.row, errors: r.errors })) });
          }
          job.unitDone({ label: PLAN_IMPORT_STEPS.check, message: 'ошибок нет' });
          job.signal.throwIfAborted();
          job.working(PLAN_IMPORT_STEPS.write);
          await ctx.transaction(async (tx) => {
            const current = await planOf(tx, load.id);
            if (current?.status === 'approved') throw invalid('КТП утверждён: загрузить файл вместо него нельзя. Исправления вносите в таблице как корректировку с причиной.');
            await writePlan(tx, ctx, load, { version: input.version, rows: parsed.rows, byPosition: true, action: 'plan.import', source: input.fileName });
            // A stop up to here rolls the plan back as it was.
            job.signal.throwIfAborted();
          });
          job.unitDone({ label: PLAN_IMPORT_STEPS.write });
          return `КТП загружен из «${input.fileName}»: ${parsed.rows.length} ${plural(parsed.rows.length, 'урок', 'урока', 'уроков')}, ${parsed.result.plannedHours} ${plural(parsed.result.plannedHours, 'час', 'часа', 'часов')}.`;
        },
      });
    },

    async 'plans.copySources'(input, ctx) {
      const db = ctx.store.db;
      const load = await requirePlanLoad(db, input.loadId);
      const year = (await findYear(db, load.year_id))!;
      const previous = await db.selectFrom('academic_year').select('id').where('starts_on', '<', year.starts_on).orderBy('starts_on', 'desc').limit(1).executeTakeFirst();
      const yearIds = previous ? [year.id, previous.id] : [year.id];
      const candidates = await loadContextQuery(db)
        .innerJoin('plan as p', 'p.load_id', 'tl.id')
        .select(['y.name as year_name', 'p.id as plan_id'])
        .where('tl.year_id', 'in', yearIds)
        .where('tl.subject_id', '=', load.subject_id)
        .where('c.grade', '=', load.grade)
        .where('tl.id', '!=', load.id)
        .orderBy('y.starts_on', 'desc')
        .orderBy('c.letter')
        .execute();
      if (candidates.length === 0) return [];
      const sizes = await db
        .selectFrom('plan_row')
        .select((eb) => ['plan_id', eb.fn.count<number>('id').as('rows'), eb.fn.sum<number>('hours').as('hours')])
        .where('plan_id', 'in', candidates.map((c) => c.plan_id))
        .groupBy('plan_id')
        .execute();
      const sizeOf = new Map(sizes.map((s) => [s.plan_id, { rows: Number(s.rows), hours: Number(s.hours) }]));
      return candidates
        .filter((c) => (sizeOf.get(c.plan_id)?.rows ?? 0) > 0)
        .map((c) => ({ loadId: c.id, yearName: c.year_name, className: c.class_name, subjectName: c.subject_name, subgroupName: c.subgroup_name, teacherName: c.teacher_name, rows: sizeOf.get(c.plan_id)!.rows, plannedHours: sizeOf.get(c.plan_id)!.hours }));
    },

    async 'plans.copy'(input, ctx) {
      if (input.fromLoadId === input.toLoadId) throw invalid('Выберите другой план: копировать план в себя нельзя.');
      await ctx.transaction(async (tx) => {
        const [from, to] = await Promise.all([requirePlanLoad(tx, input.fromLoadId), requirePlanLoad(tx, input.toLoadId)]);
        if (from.subject_id !== to.subject_id) throw invalid(`Это план по другому предмету («${from.subject_name}»).`);
        const source = await planOf(tx, from.id);
        const rows = source ? await planRowsOf(tx, source.id) : [];
        if (rows.length === 0) throw invalid(`У ${from.class_name} по предмету «${from.subject_name}» плана нет.`);
        const current = await planOf(tx, to.id);
        if (current?.status === 'approved') throw invalid('КТП утверждён: скопировать другой план вместо него нельзя. Исправления вносите в таблице как корректировку с причиной.');
        // Planned dates belong to the other class's timetable (or the other year): only weeks come along.
        const sameYear = from.year_id === to.year_id;
        await writePlan(tx, ctx, to, {
          version: input.version,
          rows: rows.map((r) => ({ section: r.section, topic: r.topic, hours: r.hours, plannedDate: null, plannedWeek: r.planned_week ?? null, controlWork: r.control_work === 1, workTypeId: r.work_type_id, homework: r.homework })),
          byPosition: true,
          action: 'plan.copy',
          source: `${from.class_name}${from.subgroup_name ? ` (${from.subgroup_name})` : ''}, ${sameYear ? 'этот год' : 'прошлый год'}`,
        });
      });
      return viewFor(ctx.store.db, ctx, input.toLoadId);
    },

    async 'plans.export'(input, ctx) {
      const db = ctx.store.db;
      const load = await requirePlanLoad(db, input.loadId);
      const plan = await planOf(db, load.id);
      const rows = plan ? await planRowsOf(db, plan.id) : [];
      const workTypes = new Map((await db.selectFrom('work_type').select(['id', 'name']).execute()).map((w) => [w.id, w.name]));
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('КТП');
      sheet.addRow(EXPORT_HEADER).font = { bold: true };
      for (const r of rows) {
        sheet.addRow([
          r.number,
          escapeSpreadsheetText(r.section),
          escapeSpreadsheetText(r.topic),
          r.hours,
          r.planned_date ? russianDate(r.planned_date) : '',
          r.planned_week ?? '',
          r.control_work ? 'да' : '',
          r.work_type_id ? (workTypes.get(r.work_type_id) ?? '') : '',
          escapeSpreadsheetText(r.homework),
        ]);
      }
      [6, 24, 60, 7, 14, 8, 12, 20, 40].forEach((width, index) => (sheet.getColumn(index + 1).width = width));
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      const name = `КТП ${load.class_name}${load.subgroup_name ? ` ${load.subgroup_name}` : ''} ${load.subject_name}`.replace(/[\\/:*?"<>|]/g, ' ');
      return { fileName: `${name}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64') };
    },

    async 'plans.submit'(input, ctx) {
      await ctx.transaction(async (tx) => {
        const caller = ctx.requireCaller();
        const load = await requirePlanLoad(tx, input.loadId);
        requireOwnLoad(caller, load);
        const plan = await planOf(tx, load.id);
        requireVersion(plan, input.version);
        if (!plan || plan.status !== 'draft') throw invalid(plan?.status === 'review' ? 'КТП уже на проверке.' : 'КТП уже утверждён.');
        const rows = await planRowsOf(tx, plan.id);
        if (rows.length === 0) throw invalid('В КТП нет ни одного урока.');
        const at = ctx.now().toISOString();
        await tx.updateTable('plan').set({ status: 'review', submitted_at: at, submitted_by: caller.userId, updated_at: at, updated_by: caller.userId, version: plan.version + 1 }).where('id', '=', plan.id).execute();
        await ctx.audit(tx, { action: 'plan.submit', entity: 'plan', entityId: plan.id, before: { status: plan.status }, after: { status: 'review' } });
      });
      return viewFor(ctx.store.db, ctx, input.loadId);
    },

    async 'plans.approve'(input, ctx) {
      await ctx.transaction(async (tx) => {
        const caller = ctx.requireCaller();
        const load = await requirePlanLoad(tx, input.loadId);
        const plan = await planOf(tx, load.id);
        requireVersion(plan, input.version);
        if (!plan || plan.status !== 'review') throw invalid('Утвердить можно только КТП, отправленный на проверку.');
        const rows = await planRowsOf(tx, plan.id);
        const planned = rows.reduce((s, r) => s + r.hours, 0);
        const curriculum = await curriculumOf(tx, load);
        if (planned !== curriculum.hours && !plan.hours_note.trim()) {
          throw invalid(`Часов в плане ${planned}, по учебному плану ${curriculum.hours}: пока учитель не объяснил расхождение, КТП не утвердить. Верните его с замечанием.`);
        }
        const at = ctx.now().toISOString();
        await tx.updateTable('plan').set({ status: 'approved', review_comment: input.comment, decided_at: at, decided_by: caller.userId, updated_at: at, updated_by: caller.userId, version: plan.version + 1 }).where('id', '=', plan.id).execute();
        await ctx.audit(tx, { action: 'plan.approve', entity: 'plan', entityId: plan.id, before: { status: plan.status }, after: { status: 'approved', hours: planned, curriculumHours: curriculum.hours, comment: input.comment } });
      });
      return viewFor(ctx.store.db, ctx, input.loadId);
    },

    async 'plans.return'(input, ctx) {
      await ctx.transaction(async (tx) => {
        const caller = ctx.requireCaller();
        const load = await requirePlanLoad(tx, input.loadId);
        const plan = await planOf(tx, load.id);
        requireVersion(plan, input.version);
        if (!plan || plan.status !== 'review') throw invalid('Вернуть можно только КТП, отправленный на проверку.');
        const at = ctx.now().toISOString();
        await tx.updateTable('plan').set({ status: 'draft', review_comment: input.comment, decided_at: at, decided_by: caller.userId, updated_at: at, updated_by: caller.userId, version: plan.version + 1 }).where('id', '=', plan.id).execute();
        await ctx.audit(tx, { action: 'plan.return', entity: 'plan', entityId: plan.id, before: { status: plan.status }, after: { status: 'draft', comment: input.comment } });
      });
      return viewFor(ctx.store.db, ctx, input.loadId);
    },

    async 'plans.fulfilment'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      let yearId = input.yearId;
      if (input.loadId !== undefined) yearId = (await requirePlanLoad(db, input.loadId)).year_id;
      const { year, today } = await yearOf(ctx, yearId);
      const date = input.date ?? (today < year.ends_on ? today : year.ends_on);
      let loads = await loadsOfYear(db, caller, year.id);
      if (input.loadId !== undefined) {
        loads = loads.filter((l) => l.id === input.loadId);
        if (loads.length === 0) throw forbidden('Выполнение программы по чужой нагрузке видит администрация школы.');
      }
      return { date, items: await fulfilmentOf(db, year, loads, date) };
    },
  });
}
