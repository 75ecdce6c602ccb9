import { useRef, useState } from 'react';
import { journalContract, type JournalPage, type LessonDraft, type LessonView } from '../../../src-shared/contract/journal';
import { russianDate } from '../../../src-shared/rules/dates';
import { api, ApiError, asApiError } from '../../api/client';
import { newKey, type NewLessonFields } from '../../journal/model';
import { ContractForm, FormCheckboxGroup, FormDate, FormSelect, FormText, FormTextArea, useContractForm } from '../../ui/contract-form';
import { useCloseOnEscape } from '../../ui/dialog';
import './lesson-panel.css';

// A lesson record (D-16): today's or a past date only (D-17; the core refuses a typed future
// date with its own words), homework may be due ahead. The form is a panel over the right
// edge of the page: the grid stays where it was, and the form's own message and buttons stay
// in view however long the form is.

const lessonFields = journalContract['journal.saveLesson'].input.omit({ loadId: true, lessonId: true, version: true, idempotencyKey: true, planRowId: true });
const moveFields = journalContract['changes.request'].input.pick({ reason: true });

interface LessonPanelProps {
  page: JournalPage;
  /** Absent: a new lesson. */
  lesson?: LessonView;
  /** A new lesson's date and number from the timetable. */
  draft?: LessonDraft;
  onSaved(lesson: LessonView): void;
  onClose(): void;
  /**
   * A new lesson when the server cannot be reached (D-41): kept in this PC's outbox with an
   * idempotency key. A save that reached the server just before the connection broke is not
   * written twice: the core binds a queued creation to the lesson of the same date and number.
   * Returns why it cannot be kept, or null.
   */
  onQueue?(fields: NewLessonFields, idempotencyKey: string): string | null;
  /** The server is known to be away: a new lesson goes straight to the outbox. */
  offline?: boolean;
}

export function LessonPanel({ page, lesson, draft, onSaved, onClose, onQueue, offline }: LessonPanelProps) {
  useCloseOnEscape(onClose);
  const readOnly = !page.canEdit || (lesson !== undefined && page.periodLocked);
  const title = lesson ? `Урок ${russianDate(lesson.date)}` : 'Новый урок';

  return (
    <aside className="lesson-drawer" aria-label={title}>
      <div className="lesson-drawer-header">
        <h2>{title}</h2>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Закрыть">
          ✕
        </button>
      </div>
      {readOnly ? <LessonFacts lesson={lesson} onClose={onClose} /> : <LessonForm page={page} lesson={lesson} draft={draft} onSaved={onSaved} onClose={onClose} onQueue={onQueue} offline={offline} title={title} />}
    </aside>
  );
}

function LessonFacts({ lesson, onClose }: { lesson?: LessonView; onClose(): void }) {
  return (
    <div className="lesson-drawer-body">
      <dl className="facts">
        <dt>Тема</dt>
        <dd>{lesson?.topic || '—'}</dd>
        <dt>Пройдено</dt>
        <dd>{lesson?.material || '—'}</dd>
        <dt>Домашнее задание</dt>
        <dd>{lesson?.homework || '—'}</dd>
        {lesson?.substitution && (
          <>
            <dt>Замена</dt>
            <dd>{lesson.givenByName}</dd>
          </>
        )}
      </dl>
      <button type="button" className="button" onClick={onClose}>
        Закрыть
      </button>
    </div>
  );
}

function LessonForm({ page, lesson, draft, onSaved, onClose, onQueue, offline, title }: LessonPanelProps & { title: string }) {
  const defaultType = page.workTypes.find((type) => type.name === 'Ответ на уроке' && type.active);
  // A substitute's new lesson starts at the assigned lesson not yet written (the register's).
  const assigned = lesson ? undefined : page.substituteLessons.find((a) => a.lessonId === null && a.date <= page.today);
  const form = useContractForm(lessonFields, {
    date: lesson?.date ?? draft?.date ?? assigned?.date ?? page.today,
    lessonNumber: lesson ? lesson.lessonNumber : draft ? draft.lessonNumber : (assigned?.lessonNumber ?? null),
    topic: lesson?.topic ?? draft?.plan?.topic ?? '',
    material: lesson?.material ?? '',
    homework: lesson?.homework ?? draft?.plan?.homework ?? '',
    homeworkFor: lesson?.homeworkFor ?? null,
    workTypeIds: lesson ? lesson.workTypeIds : defaultType ? [defaultType.id] : [],
    comment: lesson?.comment ?? '',
  });
  // A new lesson offered the КТП's next topic gives that plan row, even in the teacher's own
  // wording; unticked (a topic of her own) or with the topic cleared it is linked to no row.
  const plan = lesson ? null : (draft?.plan ?? null);
  const [byPlan, setByPlan] = useState(plan !== null);
  // A lesson without a topic is asked about once; a second «Записать» writes it.
  const [askingNoTopic, setAskingNoTopic] = useState(false);
  const noTopicConfirmed = useRef(false);

  // D-25: a move from or to a date past the edit window is refused; it may be asked for instead.
  const [moveRefused, setMoveRefused] = useState<string | null>(null);
  const [moveRequested, setMoveRequested] = useState(false);
  /** One key per new lesson form: a second «Записать» after a refusal is the same lesson. */
  const creationKey = useRef(newKey());
  const queueable = !lesson && onQueue !== undefined;

  async function save(values: ReturnType<typeof lessonFields.parse>) {
    setMoveRefused(null);
    if (values.topic === '' && !noTopicConfirmed.current) {
      setAskingNoTopic(true);
      return;
    }
    setAskingNoTopic(false);
    const fields: NewLessonFields = { ...values, planRowId: plan && byPlan && values.topic !== '' ? plan.rowId : null };
    const queue = () => {
      const problem = onQueue!(fields, creationKey.current);
      if (problem) throw new ApiError('validation', problem);
    };
    if (queueable && offline) {
      queue();
      return;
    }
    const saved = await api
      .call('journal.saveLesson', {
        loadId: page.load.loadId,
        ...(lesson ? { lessonId: lesson.id, version: lesson.version } : {}),
        ...fields,
      })
      .catch((thrown: unknown) => {
        const error = asApiError(thrown);
        if (queueable && error.kind === 'unavailable') return null;
        const details = error.details as { reason?: string; requestable?: boolean } | undefined;
        if (lesson && error.kind === 'locked' && details?.reason === 'editWindow' && details.requestable) setMoveRefused(values.date);
        throw error;
      });
    // The connection broke: the lesson is kept on this PC instead.
    if (saved === null) queue();
    else onSaved(saved);
  }

  return (
    <div className="lesson-drawer-body">
      {lesson?.substitution && <p className="message message-info">Урок дан в замену: {lesson.givenByName}.</p>}
      {queueable && offline && (
        <p className="message message-warn" role="status">
          Нет связи с сервером: урок сохранится на этом компьютере и будет записан, когда связь вернётся. Отметки и пропуски в нём можно ставить сразу.
        </p>
      )}
      {!lesson && page.load.access === 'substitute' && (
        <p className="message message-info">
          Вы ведёте урок в замену: это будет записано.
          {page.substituteLessons.length > 0 && ` Назначено: ${page.substituteLessons.map((a) => `${russianDate(a.date)}, ${a.lessonNumber} урок${a.lessonId ? ' (записан)' : ''}`).join('; ')}.`}
        </p>
      )}
      <ContractForm
        form={form}
        onSubmit={save}
        className="lesson-form"
        submitLabel={lesson ? 'Сохранить урок' : 'Записать урок'}
        busyLabel="Сохраняю…"
        aria-label={title}
        actions={
          <button type="button" className="button button-quiet" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <FormDate name="date" label="Дата урока" hint="Не позже сегодняшнего дня" />
        <FormSelect
          name="lessonNumber"
          label="Номер урока"
          numeric
          options={[{ value: '', label: '—' }, ...Array.from({ length: 10 }, (_, index) => ({ value: String(index + 1), label: `${index + 1}-й` }))]}
        />
        <FormText
          name="topic"
          label="Тема урока"
          maxLength={500}
          autoFocus={!lesson}
          onInput={() => {
            noTopicConfirmed.current = false;
            setAskingNoTopic(false);
          }}
        />
        {plan && (
          <label className="lesson-plan-choice">
            <input type="checkbox" checked={byPlan} onChange={(event) => setByPlan(event.target.checked)} />
            По КТП: урок № {plan.number}
            <span className="muted small"> — снимите отметку, если тема своя, не из плана</span>
          </label>
        )}
        <FormText name="material" label="Пройденный материал" maxLength={1000} />
        <FormText name="homework" label="Домашнее задание" maxLength={1000} />
        <FormDate name="homeworkFor" label="Задано к (дата)" nullable hint="Можно вперёд" />
        <FormCheckboxGroup
          name="workTypeIds"
          legend="Виды работ на уроке"
          options={page.workTypes.filter((type) => type.active).map((type) => ({ value: type.id, label: `${type.name} (вес ${String(type.weight).replace('.', ',')})` }))}
        />
        <FormTextArea name="comment" label="Комментарий" rows={2} maxLength={500} />
        {askingNoTopic && (
          <div className="message message-warn lesson-no-topic" role="alertdialog" aria-label="Урок без темы">
            Урок без темы — записать? Урок без темы попадает в контроль ведения журнала.{' '}
            <button type="submit" className="button button-primary" onClick={() => (noTopicConfirmed.current = true)}>
              Записать без темы
            </button>{' '}
            <button type="button" className="button button-quiet" onClick={() => { setAskingNoTopic(false); form.setFocus('topic'); }}>
              Указать тему
            </button>
          </div>
        )}
      </ContractForm>
      {moveRefused && lesson && !moveRequested && <MoveRequest lesson={lesson} date={moveRefused} onRequested={() => setMoveRequested(true)} />}
      {moveRequested && (
        <p className="message message-success" role="status">
          Запрос отправлен: урок перенесут после одобрения заместителем директора или администратором.
        </p>
      )}
    </div>
  );
}

function MoveRequest({ lesson, date, onRequested }: { lesson: LessonView; date: string; onRequested(): void }) {
  const form = useContractForm(moveFields, { reason: '' });
  return (
    <ContractForm
      form={form}
      submitLabel="Запросить перенос"
      busyLabel="Отправляю…"
      aria-label="Запросить перенос урока"
      onSubmit={async ({ reason }) => {
        await api.call('changes.request', { target: { kind: 'lessonDate', lessonId: lesson.id, version: lesson.version, date }, reason });
        onRequested();
      }}
    >
      <FormTextArea name="reason" label={`Причина переноса на ${russianDate(date)}`} rows={2} maxLength={1000} />
    </ContractForm>
  );
}
