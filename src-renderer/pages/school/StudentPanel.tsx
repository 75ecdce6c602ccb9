import { useState } from 'react';
import { consentGivers } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { ErrorMessage, Loading, orderText, russianDate, useSchoolToday } from '../../school/common';
import { useAction, useApiQuery } from '../../school/use-api';
import { Form, SelectField, TextField } from '../../ui/form';
import { ParentsSection } from './ParentsSection';

const giverTitles: Record<(typeof consentGivers)[number], string> = { student: 'ученик', parent: 'родитель, законный представитель' };

/**
 * The student card: name and birth date, consents (D-45), parents, departure and transfer
 * (D-13). `editable`: movement (the secretary); `keeps`: the card, consents and parents (also
 * the class teacher of the student's class).
 */
export function StudentPanel({
  studentId,
  editable,
  keeps,
  classOptions,
  onClose,
  onChanged,
}: {
  studentId: number;
  editable: boolean;
  keeps: boolean;
  classOptions: { value: string; label: string }[];
  onClose(): void;
  onChanged(): Promise<void>;
}) {
  const card = useApiQuery('students.get', { id: studentId });
  const today = useSchoolToday();
  const withdraw = useAction();

  async function changed() {
    await card.reload();
    await onChanged();
  }

  const student = card.data;
  const current = student?.enrollments.find((enrollment) => enrollment.departedOn === null);
  const consentsInForce = student?.consents.filter((consent) => consent.withdrawnOn === null) ?? [];

  return (
    <aside className="split-panel" aria-label="Карточка ученика">
      <div className="panel-header">
        <h2>{student ? student.fullName : 'Карточка ученика'}</h2>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Закрыть">
          ✕
        </button>
      </div>
      <ErrorMessage error={card.error} />
      {!student ? (
        <div className="panel-section">
          <Loading />
        </div>
      ) : (
        <>
          {student.personalData !== 'full' && (
            <p className="panel-section muted small">Дата рождения, согласия и сведения о родителях доступны классному руководителю и администрации.</p>
          )}
          {student.personalData === 'full' && <ParentsSection studentId={studentId} editable={keeps} onChanged={onChanged} />}
          {student.personalData === 'full' && (
          <section className="panel-section" aria-label="Согласия на обработку персональных данных">
            <h3>Согласия на обработку персональных данных</h3>
            {consentsInForce.length === 0 && (
              <p className="message message-warn" role="status">
                Согласие не зарегистрировано.
              </p>
            )}
            <ErrorMessage error={withdraw.error} />
            {student.consents.length > 0 && (
              <ul className="plain-list">
                {student.consents.map((consent) => (
                  <li key={consent.id}>
                    {consent.giverName} ({giverTitles[consent.givenBy]}), от {russianDate(consent.givenOn)}
                    {consent.withdrawnOn ? (
                      <span className="badge badge-bad">отозвано {russianDate(consent.withdrawnOn)}</span>
                    ) : (
                      keeps && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="button button-link"
                            onClick={() => void withdraw.run(() => api.call('students.consents.withdraw', { id: consent.id, withdrawnOn: today }), changed)}
                          >
                            Отозвано сегодня
                          </button>
                        </>
                      )
                    )}
                  </li>
                ))}
              </ul>
            )}
            {keeps && <ConsentForm studentId={studentId} studentName={student.fullName} onAdded={changed} />}
          </section>
          )}
          <section className="panel-section" aria-label="Движение">
            <h3>Движение</h3>
            <ul className="plain-list">
              {student.enrollments.map((enrollment) => (
                <li key={enrollment.id}>
                  {enrollment.className}: с {russianDate(enrollment.arrivedOn)}
                  {enrollment.arrivalOrder && ` (${orderText(enrollment.arrivalOrder)})`}
                  {enrollment.departedOn && ` по ${russianDate(enrollment.departedOn)}${enrollment.departureOrder ? ` (${orderText(enrollment.departureOrder)})` : ''}`}
                </li>
              ))}
            </ul>
          </section>
          {keeps && student.personalData === 'full' && (
            <details className="panel-section">
              <summary>Исправить ФИО и дату рождения</summary>
              <EditStudentForm student={student} onSaved={changed} />
            </details>
          )}
          {editable && current && (
            <details className="panel-section">
              <summary>Выбытие по приказу</summary>
              <DepartureForm studentId={studentId} defaultDate={today} onDone={changed} />
            </details>
          )}
          {editable && current && (
            <details className="panel-section">
              <summary>Перевод в другой класс</summary>
              <TransferForm studentId={studentId} classOptions={classOptions.filter((option) => option.value !== String(current.classId))} defaultDate={today} onDone={changed} />
            </details>
          )}
        </>
      )}
    </aside>
  );
}

function ConsentForm({ studentId, studentName, onAdded }: { studentId: number; studentName: string; onAdded(): Promise<void> }) {
  const today = useSchoolToday();
  const [givenBy, setGivenBy] = useState<(typeof consentGivers)[number]>('parent');
  const [giverName, setGiverName] = useState('');
  const [givenOn, setGivenOn] = useState(today);
  return (
    <Form
      aria-label="Новое согласие"
      className="form-section"
      submitLabel="Зарегистрировать согласие"
      busyLabel="Сохраняю…"
      onSubmit={async () => {
        await api.call('students.consents.add', { studentId, givenBy, giverName, givenOn });
        setGiverName('');
        await onAdded();
      }}
    >
      <div className="field-row field-row-wide">
        <SelectField
          name="givenBy"
          label="Кто дал"
          value={givenBy}
          onChange={(value) => {
            setGivenBy(value as (typeof consentGivers)[number]);
            if (value === 'student' && !giverName) setGiverName(studentName);
          }}
          options={consentGivers.map((value) => ({ value, label: giverTitles[value] }))}
        />
        <TextField name="givenOn" label="Дата согласия" type="date" value={givenOn} onChange={setGivenOn} />
      </div>
      <TextField name="giverName" label="ФИО давшего согласие" value={giverName} onChange={setGiverName} />
    </Form>
  );
}

function EditStudentForm({
  student,
  onSaved,
}: {
  student: { id: number; surname: string; name: string; patronymic: string; birthDate: string | null; gender: string };
  onSaved(): Promise<void>;
}) {
  const [surname, setSurname] = useState(student.surname);
  const [name, setName] = useState(student.name);
  const [patronymic, setPatronymic] = useState(student.patronymic);
  const [birthDate, setBirthDate] = useState(student.birthDate ?? '');
  const [gender, setGender] = useState(student.gender);
  const [saved, setSaved] = useState(false);
  return (
    <Form
      aria-label="Исправить данные ученика"
      submitLabel="Сохранить"
      onSubmit={async () => {
        setSaved(false);
        await api.call('students.update', { id: student.id, surname, name, patronymic, birthDate: birthDate || null, gender: gender as 'м' | 'ж' | '' });
        setSaved(true);
        await onSaved();
      }}
    >
      {saved && (
        <p className="message message-success" role="status">
          Сохранено.
        </p>
      )}
      <TextField name="surname" label="Фамилия" value={surname} onChange={setSurname} />
      <div className="field-row">
        <TextField name="name" label="Имя" value={name} onChange={setName} />
        <TextField name="patronymic" label="Отчество" value={patronymic} onChange={setPatronymic} />
      </div>
      <div className="field-row">
        <TextField name="birthDate" label="Дата рождения" type="date" value={birthDate} onChange={setBirthDate} />
        <SelectField
          name="gender"
          label="Пол"
          value={gender}
          onChange={setGender}
          options={[
            { value: '', label: '—' },
            { value: 'м', label: 'мужской' },
            { value: 'ж', label: 'женский' },
          ]}
        />
      </div>
    </Form>
  );
}

function DepartureForm({ studentId, defaultDate, onDone }: { studentId: number; defaultDate: string; onDone(): Promise<void> }) {
  const [departedOn, setDepartedOn] = useState(defaultDate);
  const [departureOrder, setDepartureOrder] = useState('');
  return (
    <Form
      aria-label="Выбытие"
      submitLabel="Оформить выбытие"
      onSubmit={async () => {
        await api.call('students.depart', { studentId, departedOn, departureOrder });
        await onDone();
      }}
    >
      <p className="muted small">Ученик остаётся в списках по дату выбытия включительно; его отметки и история сохраняются.</p>
      <div className="field-row">
        <TextField name="departedOn" label="Дата выбытия" type="date" value={departedOn} onChange={setDepartedOn} />
        <TextField name="departureOrder" label="Номер приказа" value={departureOrder} onChange={setDepartureOrder} />
      </div>
    </Form>
  );
}

function TransferForm({ studentId, classOptions, defaultDate, onDone }: { studentId: number; classOptions: { value: string; label: string }[]; defaultDate: string; onDone(): Promise<void> }) {
  const [toClassId, setToClassId] = useState(classOptions[0]?.value ?? '');
  const [date, setDate] = useState(defaultDate);
  const [order, setOrder] = useState('');
  return (
    <Form
      aria-label="Перевод"
      submitLabel="Перевести"
      disabled={!toClassId}
      onSubmit={async () => {
        await api.call('students.transfer', { studentId, toClassId: Number(toClassId), date, order });
        await onDone();
      }}
    >
      <SelectField name="toClassId" label="В класс" value={toClassId} onChange={setToClassId} options={classOptions} />
      <div className="field-row">
        <TextField name="date" label="С даты" type="date" value={date} onChange={setDate} />
        <TextField name="order" label="Номер приказа" value={order} onChange={setOrder} />
      </div>
    </Form>
  );
}
