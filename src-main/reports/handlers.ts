import { reportFormTitles } from '../../src-shared/contract/reports';
import { defineHandlers } from '../core/handlers';
import { formInfos, makeReport } from './forms';
import { MIME_TYPES, reportFile, reportFileName } from './render';
import { rowScope } from './scope';
import { controlSummary } from './summary';

// Reports read only: no transaction, no audit record (nothing changes).

export function reportHandlers() {
  return defineHandlers({
    'reports.forms': async (_input, ctx) => {
      const caller = ctx.requireCaller();
      const scope = rowScope(caller);
      const leadsAClass = scope.all
        ? true
        : Boolean(await ctx.store.db.selectFrom('school_class').select('id').where('class_teacher_id', '=', caller.userId).executeTakeFirst());
      return formInfos.filter((f) => scope.all || f.offeredTo === 'everyone' || (f.offeredTo === 'classTeachers' && leadsAClass)).map((f) => ({ form: f.form, title: reportFormTitles[f.form], description: f.description }));
    },
    'reports.run': async (input, ctx) => makeReport(ctx.store.db, ctx.now(), input, rowScope(ctx.requireCaller())),
    'reports.file': async (input, ctx) => {
      const { format, ...filter } = input;
      const report = await makeReport(ctx.store.db, ctx.now(), filter, rowScope(ctx.requireCaller()));
      const bytes = await reportFile(report, format);
      return { fileName: reportFileName(report, format), mimeType: MIME_TYPES[format], base64: bytes.toString('base64') };
    },
    'reports.controlSummary': async (input, ctx) => controlSummary(ctx.store.db, ctx.now(), input),
  });
}
