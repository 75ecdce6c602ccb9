import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { formFilters, resultsGroupings, resultsGroupingTitles, type ReportFileFormat, type ReportFilter, type ReportForm, type ReportView } from '../../../src-shared/contract/reports';
import { api, asApiError, type ApiError } from '../../api/client';
import { usePath } from '../../app/router';
import { useCan, useSession } from '../../app/session';
import { classOptions, ErrorMessage, hashQuery, Loading, russianDate } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { base64ToBlob, saveBlob } from '../../lib/files';
import { linkedFilter, rememberedFilter, rememberFilter, reportLink } from './filters';
import './reports.css';
import { DateFilter } from '../../ui/date-input';

// ECharts is large: loaded only when a report has a chart.
const ReportChart = lazy(() => import('./ReportChart').then((module) => ({ default: module.ReportChart })));

// «Отчёты»: choose a form and its filters, see the table (and the chart), download the very
// same report as PDF, XLSX or CSV. A row with a report behind it opens that report.

function formatCell(value: string | number | null | undefined, format: ReportView['columns'][number]['format']): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? russianDate(value) : value;
  if (format === 'percent') return `${(value * 100).toFixed(1).replace('.', ',')} %`;
  if (format === 'decimal') return value.toFixed(2).replace('.', ',');
  return String(value);
}

/** Only the filter fields a form uses: a stale class from another form must not narrow this one. */
function cleanFilter(filter: ReportFilter): ReportFilter {
  const clean: ReportFilter = { form: filter.form };
  for (const key of ['yearId', 'periodId', 'from', 'to', 'classId', 'subjectId', 'teacherId', 'loadId', 'groupBy', 'issue'] as const) {
    if (filter[key] !== undefined && filter[key] !== null) (clean as Record<string, unknown>)[key] = filter[key];
  }
  // A form of a period (or the year) takes no dates: dates left from another form would be refused.
  if (clean.periodId !== undefined || formFilters[clean.form].periodOnly) {
    delete clean.from;
    delete clean.to;
  }
  return clean;
}

export function ReportsPage() {
  const { user } = useSession();
  const can = useCan();
  const seesEveryone = can('reports.control') || user.roles.includes('administrator');
  const path = usePath();
  const [filter, setFilter] = useState<ReportFilter>(() => linkedFilter(hashQuery('f')) ?? rememberedFilter(user.id) ?? { form: 'control' });
  // A link from the home page (or a drill-down) replaces the filter.
  useEffect(() => {
    const linked = linkedFilter(hashQuery('f'));
    if (linked) setFilter(linked);
  }, [path]);

  const forms = useApiQuery('reports.forms', {});
  const years = useApiQuery('school.years.list', {});
  const year = years.data?.find((y) => y.id === filter.yearId) ?? years.data?.[years.data.length - 1];
  const classes = useApiQuery('school.classes.list', year ? { yearId: year.id } : null);
  const subjects = useApiQuery('school.subjects.list', {});
  const teachers = useApiQuery('staff.list', seesEveryone ? { onlyTeachers: true } : null);

  const [report, setReport] = useState<ReportView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const request = useMemo(() => cleanFilter(filter), [filter]);

  useEffect(() => {
    let current = true;
    setBusy(true);
    api
      .call('reports.run', request)
      .then((value) => {
        if (!current) return;
        setReport(value);
        setError(null);
        rememberFilter(user.id, request);
      })
      .catch((thrown: unknown) => {
        if (!current) return;
        // The last report no longer matches the filters: only the reason is shown.
        setReport(null);
        setError(asApiError(thrown));
      })
      .finally(() => {
        if (current) setBusy(false);
      });
    return () => {
      current = false;
    };
  }, [request, user.id]);

  async function download(format: ReportFileFormat) {
    try {
      const file = await api.call('reports.file', { ...request, format });
      saveBlob(base64ToBlob(file.base64, file.mimeType), file.fileName);
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  }

  const update = (change: Partial<ReportFilter>) => setFilter((old) => ({ ...old, ...change }));
  const numberOrUndefined = (value: string) => (value === '' ? undefined : Number(value));
  const form = filter.form;
  const filters = formFilters[form];
  const usesPeriodOnly = filters.periodOnly;

  return (
    <div className="reports-page">
      <div className="toolbar reports-filters" aria-label="Отбор">
        <label className="inline-choice">
          Форма{' '}
          <select value={form} onChange={(event) => setFilter({ form: event.target.value as ReportForm, yearId: filter.yearId, periodId: filter.periodId, from: filter.from, to: filter.to })}>
            {(forms.data ?? []).map((f) => (
              <option key={f.form} value={f.form}>
                {f.title}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-choice">
          Учебный год{' '}
          <select value={year?.id ?? ''} onChange={(event) => update({ yearId: Number(event.target.value), periodId: undefined, from: undefined, to: undefined })}>
            {(years.data ?? []).map((y) => (
              <option key={y.id} value={y.id}>
                {y.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-choice">
          Период{' '}
          <select value={filter.periodId ?? ''} onChange={(event) => update({ periodId: numberOrUndefined(event.target.value), from: undefined, to: undefined })}>
            <option value="">{filters.wholeYear ? 'за учебный год' : usesPeriodOnly ? 'последний' : 'даты (ниже)'}</option>
            {(year?.periods ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({russianDate(p.startsOn)} – {russianDate(p.endsOn)})
              </option>
            ))}
          </select>
        </label>
        {!usesPeriodOnly && filter.periodId === undefined && (
          <>
            <label className="inline-choice">
              С <DateFilter aria-label="С даты" optional value={filter.from ?? ''} onDate={(from) => update({ from: from || undefined })} />
            </label>
            <label className="inline-choice">
              по <DateFilter aria-label="По дату" optional value={filter.to ?? ''} onDate={(to) => update({ to: to || undefined })} />
            </label>
          </>
        )}
        <label className="inline-choice">
          Класс{' '}
          <select value={filter.classId ?? ''} onChange={(event) => update({ classId: numberOrUndefined(event.target.value), loadId: undefined })}>
            <option value="">{filters.classRequired ? 'выберите' : 'все'}</option>
            {classOptions(classes.data).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {filters.subject && (
          <label className="inline-choice">
            Предмет{' '}
            <select value={filter.subjectId ?? ''} onChange={(event) => update({ subjectId: numberOrUndefined(event.target.value), loadId: undefined })}>
              <option value="">все</option>
              {(subjects.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {seesEveryone && filters.teacher && (
          <label className="inline-choice">
            Учитель{' '}
            <select value={filter.teacherId ?? ''} onChange={(event) => update({ teacherId: numberOrUndefined(event.target.value), loadId: undefined })}>
              <option value="">{form === 'subjectTeacher' ? 'выберите' : 'все'}</option>
              {(teachers.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.fullName}
                </option>
              ))}
            </select>
          </label>
        )}
        {form === 'results' && (
          <label className="inline-choice">
            Итоги{' '}
            <select value={filter.groupBy ?? 'class'} onChange={(event) => update({ groupBy: event.target.value as ReportFilter['groupBy'] })}>
              {resultsGroupings.map((g) => (
                <option key={g} value={g}>
                  {resultsGroupingTitles[g]}
                </option>
              ))}
            </select>
          </label>
        )}
        {filter.loadId !== undefined && (
          <button type="button" className="button" onClick={() => update({ loadId: undefined })}>
            Все страницы журнала
          </button>
        )}
      </div>
      <ErrorMessage error={error ?? forms.error} />
      {!report && busy && <Loading />}
      {report && (
        <section className="report" aria-busy={busy}>
          <header className="report-header">
            <h2>{report.title}</h2>
            <p>{report.subtitle}</p>
            <div className="report-downloads">
              <button type="button" className="button" onClick={() => void download('pdf')}>
                Скачать PDF
              </button>
              <button type="button" className="button" onClick={() => void download('xlsx')}>
                Скачать XLSX
              </button>
              <button type="button" className="button" onClick={() => void download('csv')}>
                CSV
              </button>
            </div>
          </header>
          {report.rows.length > 0 && (
            <div className="report-table-box">
              <table className="report-table">
                <thead>
                  <tr>
                    {report.columns.map((c) => (
                      <th key={c.key} scope="col" title={c.short ? c.title : undefined} aria-label={c.short ? c.title : undefined} className={(c.short ?? c.title).length <= 5 ? 'report-head-short' : undefined}>
                        {c.short ?? c.title}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((row, index) => (
                    <tr key={index} className={row.total ? 'report-total' : undefined}>
                      {report.columns.map((c, columnIndex) => (
                        <td key={c.key} className={c.format === 'text' || c.format === 'date' ? undefined : 'number'}>
                          {columnIndex === 0 && row.drill ? <a href={reportLink({ ...row.drill })}>{formatCell(row.cells[c.key], c.format)}</a> : formatCell(row.cells[c.key], c.format)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.chart && (
            <Suspense fallback={<Loading />}>
              <ReportChart spec={report.chart} />
            </Suspense>
          )}
          {report.notes.map((note) => (
            <p key={note} className="muted report-note">
              {note}
            </p>
          ))}
        </section>
      )}
    </div>
  );
}
