import { russianDate } from '../../../src-shared/rules/dates';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { finalKindTitles, type JournalPage as JournalPageData, type LessonDraft, type LessonView } from '../../../src-shared/contract/journal';
import { attendanceTitles } from '../../../src-shared/rules/attendance';
import type { YearFinalKind } from '../../../src-shared/rules/finals';
import { api, asApiError } from '../../api/client';
import { Link, useParams } from '../../app/router';
import { useCan, useSession } from '../../app/session';
import { hashQuery } from '../../ui/common';
import { JournalGrid, type SelectedCell } from '../../journal/JournalGrid';
import { cellKey, isUnsentLesson, JournalModel, WAITS_FOR_SERVER, type JournalState } from '../../journal/model';
import { outbox } from '../../outbox/index';
import { OFFLINE_BANNER, readWithCache } from '../../journal/read-cache';
import { HistoryPopover, MarkEditPanel, RequestPanel } from './CellPanels';
import { LessonPanel } from './LessonPanel';
import '../../journal/journal.css';
import { CloseOnEscape } from '../../ui/dialog';

// /journal/:loadId — one subject page of a class for a study period, like the paper journal.

const yearFinalTitles: Record<YearFinalKind, string> = { year: 'Годовая отметка', exam: 'Экзаменационная отметка', final: 'Итоговая отметка (в аттестат)' };

const accessTitles: Record<JournalPageData['load']['access'], string> = {
  own: 'ваш предмет',
  substitute: 'замена',
  classTeacher: 'классный руководитель — только просмотр',
  read: 'только просмотр',
};

const lessonDateText = (lesson: { date: string } | undefined) => (lesson ? russianDate(lesson.date) : '');

export function JournalPage() {
  const { loadId } = useParams();
  const [periodId, setPeriodId] = useState<number | undefined>(undefined);
  const [model, setModel] = useState<JournalModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The page is today's copy on this PC, read at this moment: the server cannot be reached (D-41). */
  const [cachedAt, setCachedAt] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    // The outbox is read first: the page shows its edits not yet sent.
    Promise.all([readWithCache('journal.page', { loadId: Number(loadId), ...(periodId ? { periodId } : {}) }), outbox.ready()]).then(
      ([read]) => {
        if (cancelled) return;
        performance.mark('journal-data');
        setCachedAt(read.cachedAt);
        const opened = new JournalModel(read.value);
        opened.setFromCache(read.cachedAt !== null);
        setModel(opened);
      },
      (thrown) => !cancelled && setError(asApiError(thrown).message),
    );
    return () => {
      cancelled = true;
    };
  }, [loadId, periodId]);

  useEffect(() => () => model?.dispose(), [model]);

  // Shown from the copy: the server is asked again until it answers, then its page replaces the copy.
  useEffect(() => {
    if (!model || !cachedAt) return;
    const page = model.getState().page;
    let busy = false;
    const retry = async () => {
      if (busy) return;
      busy = true;
      try {
        const read = await readWithCache('journal.page', { loadId: page.load.loadId, ...(periodId ? { periodId } : {}) });
        if (read.cachedAt === null) {
          model.replacePage(read.value);
          model.setFromCache(false);
          setCachedAt(null);
        }
      } catch {
        // Still unreachable, or refused: the copy stays on screen.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void retry(), 10_000);
    const stop = outbox.subscribe(() => {
      if (!outbox.snapshot().offline) void retry();
    });
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [model, cachedAt, periodId]);

  if (error) {
    return (
      <p className="message message-error" role="alert">
        {error} <Link to="/journal">К списку страниц</Link>
      </p>
    );
  }
  if (!model) return <p className="muted">Открываю страницу журнала…</p>;
  return (
    <>
      {cachedAt && (
        <p className="message message-warn journal-offline-banner" role="status">
          {OFFLINE_BANNER(cachedAt)}. Новые уроки, а также отметки и пропуски в уроках, открытых для исправления, сохраняются на этом компьютере и уйдут, когда связь вернётся. {WAITS_FOR_SERVER}
        </p>
      )}
      <JournalScreen key={model.getState().page.period.id} model={model} onPeriod={setPeriodId} />
    </>
  );
}

function JournalScreen({ model, onPeriod }: { model: JournalModel; onPeriod(periodId: number): void }) {
  const state: JournalState = useSyncExternalStore(model.subscribe, model.getState);
  const { page } = state;
  const defaultType = page.workTypes.find((type) => type.active && type.name === 'Ответ на уроке') ?? page.workTypes.find((type) => type.active);
  const [workTypeId, setWorkTypeId] = useState(defaultType?.id ?? 0);
  const [selected, setSelected] = useState<SelectedCell | null>(null);
  const [lessonPanel, setLessonPanel] = useState<{ lesson?: LessonView; draft?: LessonDraft; offline?: boolean } | null>(null);
  const { user } = useSession();
  const [request, setRequest] = useState<{ cell: SelectedCell; typed: string } | null>(null);
  const [history, setHistory] = useState<SelectedCell | null>(null);
  const [editing, setEditing] = useState<SelectedCell | null>(null);
  const [periodAction, setPeriodAction] = useState<'lock' | 'reopen' | null>(null);
  const [reopenReason, setReopenReason] = useState('');
  const can = useCan();
  const workTypeNames = useMemo(() => new Map(page.workTypes.map((type) => [type.id, type.name])), [page.workTypes]);

  const onSelect = useCallback((cell: SelectedCell) => setSelected(cell), []);
  const onLockedEntry = useCallback(
    (cell: SelectedCell, typed: string) => {
      if (!page.canEdit) {
        model.notify('error', 'Страница открыта только для просмотра.');
        return;
      }
      if (model.serverAway()) {
        model.notify('error', 'Этот урок закрыт для исправления: исправление идёт через запрос, а запрос отправляется только при связи с сервером. Повторите, когда связь вернётся.');
        return;
      }
      setRequest({ cell, typed });
    },
    [model, page.canEdit],
  );
  /** A written lesson is changed straight on the server: without it, the teacher is told at once. */
  const openLessonPanel = useCallback(
    (panel: { lesson?: LessonView }) => {
      if (model.serverAway()) model.notify('error', 'Нет связи с сервером: тему и домашнее задание записанного урока можно изменить, когда связь вернётся.');
      else setLessonPanel(panel);
    },
    [model],
  );
  const onOpenLesson = useCallback(
    (lessonId: number) => {
      if (isUnsentLesson(lessonId)) model.notify('error', 'Урок ещё не отправлен на сервер: изменить его можно, когда связь вернётся и он будет записан.');
      else openLessonPanel({ lesson: page.lessons.find((lesson) => lesson.id === lessonId) });
    },
    [model, openLessonPanel, page.lessons],
  );
  const askPeriodAction = useCallback(
    (action: 'lock' | 'reopen') => {
      if (model.serverAway()) model.notify('error', 'Нет связи с сервером: закрыть или открыть период можно, когда связь вернётся.');
      else setPeriodAction(action);
    },
    [model],
  );

  // A new lesson starts where the timetable says (nothing is written until it is saved);
  // a lesson already written there opens instead.
  const openNewLesson = useCallback(
    async (slot?: { date: string; lessonNumber?: number }) => {
      // Without the server the lesson goes to this PC's outbox (D-41): a blank form, today's date.
      if (model.serverAway()) {
        setLessonPanel({ offline: true });
        return;
      }
      try {
        const draft = await api.call('journal.lessonDraft', { loadId: page.load.loadId, ...slot });
        const written = draft.lessonId === null ? undefined : page.lessons.find((lesson) => lesson.id === draft.lessonId);
        if (draft.lessonId !== null && !written) model.notify('ok', 'Этот урок уже записан.');
        else setLessonPanel(written ? { lesson: written } : { draft });
      } catch (thrown) {
        const error = asApiError(thrown);
        if (error.kind === 'unavailable') {
          setLessonPanel({ offline: true });
          return;
        }
        model.notify('error', error.message);
        // «Новый урок» still opens, blank: the teacher may type the lesson herself.
        if (!slot) setLessonPanel({});
      }
    },
    [model, page.lessons, page.load.loadId],
  );

  // Opened from today's lessons on the home page: `?date=…&lesson=…` names the lesson, once.
  const openedFromHome = useRef(false);
  useEffect(() => {
    if (openedFromHome.current) return;
    openedFromHome.current = true;
    const date = hashQuery('date');
    const lessonNumber = Number(hashQuery('lesson'));
    if (!date || !page.canEdit) return;
    window.history.replaceState(null, '', `#/journal/${page.load.loadId}`);
    void openNewLesson({ date, ...(Number.isInteger(lessonNumber) && lessonNumber > 0 ? { lessonNumber } : {}) });
  }, [openNewLesson, page.canEdit, page.load.loadId]);

  async function changePeriod() {
    try {
      if (periodAction === 'lock') await api.call('journal.lockPeriod', { loadId: page.load.loadId, periodId: page.period.id });
      else await api.call('journal.reopenPeriod', { loadId: page.load.loadId, periodId: page.period.id, reason: reopenReason });
      setPeriodAction(null);
      setReopenReason('');
      model.replacePage(await api.call('journal.page', { loadId: page.load.loadId, periodId: page.period.id }));
      model.notify('ok', periodAction === 'lock' ? 'Период закрыт: отметки за него изменяются только через администратора.' : 'Период открыт для исправлений.');
    } catch (thrown) {
      model.notify('error', asApiError(thrown).message);
    }
  }

  async function lessonSaved() {
    setLessonPanel(null);
    model.replacePage(await api.call('journal.page', { loadId: page.load.loadId, periodId: page.period.id }));
    focusGrid();
  }

  const student = selected ? page.students.find((item) => item.id === selected.studentId) : undefined;
  const lesson = selected?.lessonId ? page.lessons.find((item) => item.id === selected.lessonId) : undefined;
  const marks = selected?.lessonId ? (state.marks.get(cellKey(selected.lessonId, selected.studentId)) ?? []) : [];
  const attendance = selected?.lessonId ? state.attendance.get(cellKey(selected.lessonId, selected.studentId)) : undefined;
  const yearFinal = selected && !selected.lessonId ? selected.yearFinal : undefined;
  const final = selected && !selected.lessonId ? (yearFinal ? model.yearFinalOf(selected.studentId, yearFinal) : state.finals.get(selected.studentId)) : undefined;
  const yearSuggestion = selected && yearFinal ? model.yearSuggestion(selected.studentId, yearFinal) : null;
  const requestable = page.canEdit && lesson !== undefined && !lesson.editable && (lesson.pastEditWindow || page.periodLocked);
  // A refusal just made (something that needs the server) stays in view over the offline line.
  const notice = state.offline && state.notice?.kind !== 'error' ? { kind: 'offline' as const, text: `Не сохранено — нет связи с базой, повторяю… (ждут сохранения: ${state.queued})` } : state.notice;

  // Built again only when what it shows changes: a keystroke re-renders this screen for the
  // lines about the cell, and the two lists of options would otherwise be set anew each time.
  const canUndo = state.canUndo;
  const toolbar = useMemo(
    () => (
      <div className="journal-toolbar">
        <span className="journal-title">
          {page.load.className} · {page.load.subjectName}
          {page.load.subgroupName ? ` (${page.load.subgroupName})` : ''}
        </span>
        <span className="muted small">
          {page.load.teacherName} · {accessTitles[page.load.access]}
        </span>
        <label>
          Период
          <select aria-label="Период" value={page.period.id} onChange={(event) => onPeriod(Number(event.target.value))}>
            {page.load.periods.map((period) => (
              <option key={period.id} value={period.id}>
                {period.name}
              </option>
            ))}
          </select>
        </label>
        {page.canEdit && !page.load.noMarks && (
          <label>
            Вид работы
            <select aria-label="Вид работы для новых отметок" value={workTypeId} onChange={(event) => setWorkTypeId(Number(event.target.value))}>
              {page.workTypes
                .filter((type) => type.active)
                .map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.name} (вес {String(type.weight).replace('.', ',')})
                  </option>
                ))}
            </select>
          </label>
        )}
        {page.canEdit && !page.periodLocked && (
          <button type="button" className="button button-primary" onClick={() => void openNewLesson()}>
            Новый урок
          </button>
        )}
        {page.canEdit && (
          <button type="button" className="button button-quiet" disabled={!canUndo} onClick={() => model.undo()} title="Ctrl+Z">
            Отменить
          </button>
        )}
        {page.canEdit && !page.periodLocked && !page.load.noMarks && (
          <button type="button" className="button button-quiet" onClick={() => askPeriodAction('lock')}>
            Закрыть период…
          </button>
        )}
        {page.periodLocked && can('journal.admin') && (
          <button type="button" className="button button-quiet" onClick={() => askPeriodAction('reopen')}>
            Открыть период…
          </button>
        )}
        {!page.canEdit && <span className="badge badge-warn">Только просмотр</span>}
        {page.periodLocked && <span className="badge badge-bad">Период закрыт{page.periodLock ? `: ${page.periodLock.lockedByName}` : ''}</span>}
        {page.load.noMarks && <span className="badge badge-warn">Безотметочное обучение</span>}
      </div>
    ),
    [page, workTypeId, canUndo, can, model, onPeriod, openNewLesson, askPeriodAction],
  );

  return (
    <div className="journal-page">
      {toolbar}

      {periodAction && (
        <div className="message message-warn" role="alertdialog" aria-label={periodAction === 'lock' ? 'Закрыть период' : 'Открыть период'}>
          <CloseOnEscape onClose={() => setPeriodAction(null)} />
          {periodAction === 'lock' ? (
            <p>
              Закрыть «{page.period.name}»? После этого отметки и пропуски за период изменяются только после открытия периода администратором.
            </p>
          ) : (
            <label>
              Причина открытия периода{' '}
              <input className="toolbar-search" value={reopenReason} onChange={(event) => setReopenReason(event.target.value)} autoFocus />
            </label>
          )}{' '}
          <button type="button" className="button button-primary" onClick={() => void changePeriod()}>
            {periodAction === 'lock' ? 'Закрыть период' : 'Открыть период'}
          </button>{' '}
          <button type="button" className="button button-quiet" onClick={() => setPeriodAction(null)}>
            Отмена
          </button>
        </div>
      )}

      {lessonPanel && (
        <LessonPanel
          key={lessonPanel.lesson?.id ?? 'new'}
          page={page}
          lesson={lessonPanel.lesson}
          draft={lessonPanel.draft}
          offline={lessonPanel.offline}
          onSaved={() => void lessonSaved()}
          onQueue={(fields, idempotencyKey) => {
            const problem = model.queueLesson(fields, idempotencyKey, user);
            if (problem === null) {
              setLessonPanel(null);
              focusGrid();
            }
            return problem;
          }}
          onClose={() => setLessonPanel(null)}
        />
      )}

      {state.refusedLessons.map((text, index) => (
        <div key={index} className="message message-error" role="alert">
          {text}{' '}
          <button type="button" className="button button-quiet" onClick={() => model.dismissRefusedLesson(index)}>
            Понятно
          </button>
        </div>
      ))}

      {page.students.length === 0 ? (
        <p className="muted">В списке класса на этот период нет учеников.</p>
      ) : page.lessons.length === 0 ? (
        <p className="message message-info">
          В этом периоде ещё нет уроков.{page.canEdit ? ' Нажмите «Новый урок», чтобы записать сегодняшний.' : ''}
        </p>
      ) : (
        <JournalGrid model={model} page={page} workTypeId={workTypeId} onSelect={onSelect} onLockedEntry={onLockedEntry} onOpenLesson={onOpenLesson} />
      )}

      <div className="journal-status" role="status" aria-live="polite">
        {notice && <span className={`journal-status-${notice.kind}`}>{notice.text}</span>}
        {state.offline && (
          <button type="button" className="button button-quiet" onClick={() => model.retryNow()}>
            Повторить сейчас
          </button>
        )}
      </div>

      {student && page.lessons.length > 0 && (
        <div className="journal-details" aria-label="Выбранная ячейка">
          <strong>{student.fullName}</strong>
          {lesson ? (
            <>
              <span>
                {russianDate(lesson.date)}
                {lesson.topic ? ` — ${lesson.topic}` : ''}
              </span>
              {marks.map((mark) => (
                <span key={mark.localId}>
                  «{mark.value}» {workTypeNames.get(mark.workTypeId)}
                  {mark.comment ? `: ${mark.comment}` : ''}
                  {mark.makeUp ? ' (отработка)' : ''}
                </span>
              ))}
              {attendance?.code && (
                <span>
                  {attendance.code} — {attendanceTitles[attendance.code]}
                </span>
              )}
              {!lesson.editable && page.canEdit && <span className="badge badge-warn">{page.periodLocked ? 'Период закрыт' : 'Срок исправления прошёл'}</span>}
            </>
          ) : yearFinal ? (
            <span>
              {yearFinalTitles[yearFinal]}: {final?.deferred ? 'отложена' : final?.value || 'не выставлена'}
              {yearSuggestion ? ` · расчётная ${yearFinal === 'year' ? 'по итоговым за периоды' : 'по годовой и экзаменационной'}: ${yearSuggestion}` : ''}
            </span>
          ) : (
            <span>
              Итоговая {finalKindTitles.period} «{page.period.name}»: {final?.deferred ? 'отложена' : final?.value || 'не выставлена'}
              {model.averageOf(student.id).suggested ? ` · по среднему: ${model.averageOf(student.id).suggested}` : ''}
            </span>
          )}
          <button type="button" className="button button-quiet" onClick={() => setHistory(selected)}>
            История ячейки
          </button>
          {lesson?.editable && marks.some((mark) => mark.id !== 0) && (
            <button type="button" className="button button-quiet" onClick={() => setEditing(selected)}>
              Вид работы, комментарий
            </button>
          )}
          {requestable && (
            <button type="button" className="button" onClick={() => setRequest({ cell: selected!, typed: '' })}>
              Запросить изменение
            </button>
          )}
        </div>
      )}

      {history && (
        <HistoryPopover
          title={`${page.students.find((item) => item.id === history.studentId)?.fullName ?? ''}${history.lessonId ? `, ${lessonDateText(page.lessons.find((item) => item.id === history.lessonId))}` : history.yearFinal ? `, ${finalKindTitles[history.yearFinal]}` : ', итоговая'}`}
          query={
            history.lessonId
              ? { studentId: history.studentId, lessonId: history.lessonId }
              : history.yearFinal
                ? { studentId: history.studentId, loadId: page.load.loadId, kind: history.yearFinal }
                : { studentId: history.studentId, loadId: page.load.loadId, kind: 'period', periodId: page.period.id }
          }
          workTypeNames={workTypeNames}
          onClose={() => {
            setHistory(null);
            focusGrid();
          }}
        />
      )}
      {editing && editing.lessonId !== null && (
        <MarkEditPanel
          page={page}
          marks={state.marks.get(cellKey(editing.lessonId, editing.studentId)) ?? []}
          onSaved={() => {
            const key = cellKey(editing.lessonId!, editing.studentId);
            setEditing(null);
            void model.refresh([key]).then(() => model.notify('ok', 'Сохранено.'));
            focusGrid();
          }}
          onClose={() => {
            setEditing(null);
            focusGrid();
          }}
        />
      )}
      {request && request.cell.lessonId !== null && (
        <RequestPanel
          page={page}
          lessonId={request.cell.lessonId}
          studentId={request.cell.studentId}
          marks={state.marks.get(cellKey(request.cell.lessonId, request.cell.studentId)) ?? []}
          attendance={state.attendance.get(cellKey(request.cell.lessonId, request.cell.studentId))}
          typed={request.typed}
          workTypeId={workTypeId}
          onDone={(message) => {
            setRequest(null);
            model.notify('ok', message);
            focusGrid();
          }}
          onClose={() => {
            setRequest(null);
            focusGrid();
          }}
        />
      )}
    </div>
  );
}

function focusGrid() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="journal-grid"]')?.focus());
}
