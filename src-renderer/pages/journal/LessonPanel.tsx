import { useState } from 'react';
import type { JournalPage, LessonView } from '../../../src-shared/contract/journal';
import { api, asApiError } from '../../api/client';
import { CheckboxGroup, Form, SelectField, TextAreaField, TextField } from '../../ui/form';

// A lesson record (D-16): today's or a past date only (D-17; the picker stops at today and
// the core refuses a typed future date with its own words), homework may be due ahead.

interface LessonPanelProps {
  page: JournalPage;
  /** Absent: a new lesson. */
  lesson?: LessonView;
  onSaved(lesson: LessonView): void;
  onClose(): void;
}

export function LessonPanel({ page, lesson, onSaved, onClose }: LessonPanelProps) {
  const defaultType = page.workTypes.find((type) => type.name === 'Ответ на уроке' && type.active);
  // A substitute's new lesson starts at the assigned lesson not yet written (the register's).
  const assigned = lesson ? undefined : page.substituteLessons.find((a) => a.lessonId === null && a.date <= page.today);
  const [date, setDate] = useState(lesson?.date ?? assigned?.date ?? page.today);
  const [lessonNumber, setLessonNumber] = useState(lesson?.lessonNumber ? String(lesson.lessonNumber) : assigned ? String(assigned.lessonNumber) : '');
  const [topic, setTopic] = useState(lesson?.topic ?? '');
  const [material, setMaterial] = useState(lesson?.material ?? '');
  const [homework, setHomework] = useState(lesson?.homework ?? '');
  const [homeworkFor, setHomeworkFor] = useState(lesson?.homeworkFor ?? '');
  const [workTypeIds, setWorkTypeIds] = useState<string[]>(lesson ? lesson.workTypeIds.map(String) : defaultType ? [String(defaultType.id)] : []);
  const [comment, setComment] = useState(lesson?.comment ?? '');
  const readOnly = !page.canEdit || (lesson !== undefined && page.periodLocked);
  const title = lesson ? `Урок ${lesson.date.split('-').reverse().join('.')}` : 'Новый урок';

  // D-25: a move from or to a date past the edit window is refused; it may be asked for instead.
  const [moveRefused, setMoveRefused] = useState<string | null>(null);
  const [moveReason, setMoveReason] = useState('');
  const [moveRequested, setMoveRequested] = useState(false);

  async function requestMove() {
    if (!lesson || !moveRefused) return;
    await api.call('changes.request', { target: { kind: 'lessonDate', lessonId: lesson.id, version: lesson.version, date: moveRefused }, reason: moveReason });
    setMoveRequested(true);
  }

  async function save() {
    setMoveRefused(null);
    const saved = await api.call('journal.saveLesson', {
      loadId: page.load.loadId,
      ...(lesson ? { lessonId: lesson.id, version: lesson.version } : {}),
      date,
      lessonNumber: lessonNumber ? Number(lessonNumber) : null,
      topic,
      material,
      homework,
      homeworkFor: homeworkFor || null,
      workTypeIds: workTypeIds.map(Number),
      comment,
    }).catch((thrown: unknown) => {
      const error = asApiError(thrown);
      const details = error.details as { reason?: string; requestable?: boolean } | undefined;
      if (lesson && error.kind === 'locked' && details?.reason === 'editWindow' && details.requestable) setMoveRefused(date);
      throw error;
    });
    onSaved(saved);
  }

  if (readOnly) {
    return (
      <section className="journal-panel" aria-label={title}>
        <h2>{title}</h2>
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
      </section>
    );
  }

  return (
    <section className="journal-panel" aria-label={title}>
      <h2>{title}</h2>
      {lesson?.substitution && <p className="message message-info">Урок дан в замену: {lesson.givenByName}.</p>}
      {!lesson && page.load.access === 'substitute' && (
        <p className="message message-info">
          Вы ведёте урок в замену: это будет записано.
          {page.substituteLessons.length > 0 && ` Назначено: ${page.substituteLessons.map((a) => `${a.date.split('-').reverse().join('.')}, ${a.lessonNumber} урок${a.lessonId ? ' (записан)' : ''}`).join('; ')}.`}
        </p>
      )}
      <Form
        onSubmit={save}
        submitLabel={lesson ? 'Сохранить урок' : 'Записать урок'}
        busyLabel="Сохраняю…"
        aria-label={title}
        actions={
          <button type="button" className="button button-quiet" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <div className="journal-panel-grid">
          <TextField name="date" label="Дата урока" type="date" value={date} max={page.today} onChange={setDate} required hint="Не позже сегодняшнего дня" />
          <SelectField
            name="lessonNumber"
            label="Номер урока"
            value={lessonNumber}
            onChange={setLessonNumber}
            options={[{ value: '', label: '—' }, ...Array.from({ length: 10 }, (_, index) => ({ value: String(index + 1), label: `${index + 1}-й` }))]}
          />
          <TextField name="topic" label="Тема урока" value={topic} onChange={setTopic} maxLength={500} autoFocus={!lesson} />
          <TextField name="material" label="Пройденный материал" value={material} onChange={setMaterial} maxLength={1000} />
          <TextField name="homework" label="Домашнее задание" value={homework} onChange={setHomework} maxLength={1000} />
          <TextField name="homeworkFor" label="Задано к (дата)" type="date" value={homeworkFor} min={date} onChange={setHomeworkFor} hint="Можно вперёд" />
        </div>
        <CheckboxGroup
          name="workTypeIds"
          legend="Виды работ на уроке"
          options={page.workTypes.filter((type) => type.active).map((type) => ({ value: String(type.id), label: `${type.name} (вес ${String(type.weight).replace('.', ',')})` }))}
          selected={workTypeIds}
          onChange={setWorkTypeIds}
        />
        <TextAreaField name="comment" label="Комментарий" value={comment} onChange={setComment} rows={2} maxLength={500} />
      </Form>
      {moveRefused && lesson && !moveRequested && (
        <Form onSubmit={requestMove} submitLabel="Запросить перенос" busyLabel="Отправляю…" aria-label="Запросить перенос урока">
          <TextAreaField name="moveReason" label={`Причина переноса на ${moveRefused.split('-').reverse().join('.')}`} value={moveReason} onChange={setMoveReason} rows={2} required maxLength={1000} />
        </Form>
      )}
      {moveRequested && (
        <p className="message message-success" role="status">
          Запрос отправлен: урок перенесут после одобрения заместителем директора или администратором.
        </p>
      )}
    </section>
  );
}
