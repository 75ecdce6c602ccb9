import { useState } from 'react';
import type { z } from 'zod';
import type { workType as workTypeSchema } from '../../../src-shared/contract/school';
import { markScales, markScaleTitles, specialMarks, specialMarkTitles, type MarkScale, type SpecialMark } from '../../../src-shared/rules/marks';
import { finalRoundingPresets, finalRoundingTitles, type SchoolSettings } from '../../../src-shared/school-settings';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, formatHours, Loading, parseNumber } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { CheckboxField, CheckboxGroup, Form, SelectField, TextField } from '../../ui/form';

// «Настройки отметок» (D-20 … D-22, D-25): the scale, special marks, rounding, the edit
// window, and the work types with their weights.

type WorkType = z.infer<typeof workTypeSchema>;

export function MarksSettingsPage() {
  const can = useCan();
  const manage = can('school.manage');
  const settings = useApiQuery('settings.get', {});
  const workTypes = useApiQuery('settings.workTypes.list', { includeInactive: true });

  return (
    <div className="school-page columns columns-wide-right">
      <section className="card" aria-label="Шкала и правила">
        <h2>Шкала и правила</h2>
        <ErrorMessage error={settings.error} />
        {!settings.data ? <Loading /> : <MarksRulesForm settings={settings.data} editable={manage} onSaved={settings.reload} />}
      </section>
      <section className="card" aria-label="Виды работ">
        <h2>Виды работ и веса</h2>
        <p className="muted small">Средний балл взвешенный: отметка за контрольную с весом 2 весит вдвое больше устного ответа. Отключённый вид не предлагается в журнале, но старые отметки сохраняются.</p>
        <ErrorMessage error={workTypes.error} />
        {!workTypes.data ? <Loading /> : <WorkTypesTable workTypes={workTypes.data} editable={manage} onChanged={workTypes.reload} />}
      </section>
    </div>
  );
}

function MarksRulesForm({ settings, editable, onSaved }: { settings: SchoolSettings; editable: boolean; onSaved(): Promise<void> }) {
  const [markScale, setMarkScale] = useState<MarkScale>(settings.markScale);
  const [chosenSpecial, setChosenSpecial] = useState<SpecialMark[]>(settings.specialMarks);
  const [averageDecimals, setAverageDecimals] = useState(String(settings.averageDecimals));
  const [threshold, setThreshold] = useState(String(settings.finalRoundingThreshold));
  const [editWindowDays, setEditWindowDays] = useState(String(settings.editWindowDays));
  const [saved, setSaved] = useState(false);
  const thresholdOptions = (Object.keys(finalRoundingPresets) as (keyof typeof finalRoundingPresets)[]).map((key) => ({ value: String(finalRoundingPresets[key]), label: finalRoundingTitles[key] }));
  if (!thresholdOptions.some((option) => option.value === threshold)) thresholdOptions.push({ value: threshold, label: `С ${threshold.replace('.', ',')} вверх` });

  return (
    <Form
      aria-label="Шкала и правила"
      submitLabel="Сохранить настройки"
      busyLabel="Сохраняю…"
      disabled={!editable}
      onSubmit={async () => {
        setSaved(false);
        await api.call('settings.update', {
          markScale,
          specialMarks: chosenSpecial,
          averageDecimals: Number(averageDecimals),
          finalRoundingThreshold: Number(threshold),
          editWindowDays: editWindowDays.trim() === '' ? Number.NaN : Number(editWindowDays),
        });
        setSaved(true);
        await onSaved();
      }}
    >
      {saved && (
        <p className="message message-success" role="status">
          Настройки сохранены.
        </p>
      )}
      <SelectField name="markScale" label="Шкала отметок" value={markScale} onChange={(value) => setMarkScale(value as MarkScale)} options={markScales.map((value) => ({ value, label: markScaleTitles[value] }))} />
      <CheckboxGroup
        name="specialMarks"
        legend="Специальные отметки в журнале"
        options={specialMarks.map((value) => ({ value, label: `«${value}» — ${specialMarkTitles[value]}` }))}
        selected={chosenSpecial}
        onChange={setChosenSpecial}
      />
      <SelectField name="finalRoundingThreshold" label="Округление итоговой отметки" value={threshold} onChange={setThreshold} options={thresholdOptions} />
      <div className="field-row">
        <SelectField
          name="averageDecimals"
          label="Знаков в среднем балле"
          value={averageDecimals}
          onChange={setAverageDecimals}
          options={[0, 1, 2, 3].map((value) => ({ value: String(value), label: value === 0 ? 'целое' : `${value} (${(4.5678).toFixed(value).replace('.', ',')})` }))}
        />
        <TextField
          name="editWindowDays"
          label="Окно исправлений, дней"
          value={editWindowDays}
          onChange={setEditWindowDays}
          inputMode="numeric"
          hint="Сколько дней после урока учитель сам исправляет отметки и пропуски; позже — с согласия администрации."
        />
      </div>
    </Form>
  );
}

function WorkTypesTable({ workTypes, editable, onChanged }: { workTypes: WorkType[]; editable: boolean; onChanged(): Promise<void> }) {
  const [editingId, setEditingId] = useState<number | 'new' | null>(null);
  const sorted = [...workTypes].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'ru'));
  return (
    <>
      <table className="table table-compact" aria-label="Виды работ">
        <thead>
          <tr>
            <th>Вид работы</th>
            <th className="cell-number">Вес</th>
            <th className="cell-number">Срок отметки, дней</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sorted.map((workType) =>
            editingId === workType.id ? (
              <WorkTypeRow
                key={workType.id}
                workType={workType}
                onDone={async () => {
                  setEditingId(null);
                  await onChanged();
                }}
                onCancel={() => setEditingId(null)}
              />
            ) : (
              <tr key={workType.id} className={workType.active ? undefined : 'row-departed'}>
                <td>
                  {workType.name}
                  {!workType.active && <span className="badge badge-warn">отключён</span>}
                </td>
                <td className="cell-number">{formatHours(workType.weight)}</td>
                <td className="cell-number">{workType.markDueDays}</td>
                <td className="cell-actions">
                  {editable && (
                    <button type="button" className="button button-link" onClick={() => setEditingId(workType.id)} aria-label={`Изменить: ${workType.name}`}>
                      Изменить
                    </button>
                  )}
                </td>
              </tr>
            ),
          )}
          {editingId === 'new' && (
            <WorkTypeRow
              workType={null}
              nextOrder={(sorted[sorted.length - 1]?.sortOrder ?? 0) + 10}
              onDone={async () => {
                setEditingId(null);
                await onChanged();
              }}
              onCancel={() => setEditingId(null)}
            />
          )}
        </tbody>
      </table>
      {editable && editingId !== 'new' && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setEditingId('new')}>
            Добавить вид работы
          </button>
        </div>
      )}
    </>
  );
}

function WorkTypeRow({ workType, nextOrder = 0, onDone, onCancel }: { workType: WorkType | null; nextOrder?: number; onDone(): Promise<void>; onCancel(): void }) {
  const [name, setName] = useState(workType?.name ?? '');
  const [weight, setWeight] = useState(workType ? formatHours(workType.weight) : '1');
  const [markDueDays, setMarkDueDays] = useState(String(workType?.markDueDays ?? 1));
  const [sortOrder, setSortOrder] = useState(String(workType?.sortOrder ?? nextOrder));
  const [active, setActive] = useState(workType?.active ?? true);
  const title = workType ? `Вид работы «${workType.name}»` : 'Новый вид работы';
  return (
    <tr className="row-editing">
      <td colSpan={4}>
        <Form
          aria-label={title}
          className="inline-form inline-form-wrap"
          submitLabel={workType ? 'Сохранить' : 'Добавить'}
          onSubmit={async () => {
            const input = { name, weight: parseNumber(weight), markDueDays: Number(markDueDays), sortOrder: Number(sortOrder) || 0, active };
            if (workType) await api.call('settings.workTypes.update', { id: workType.id, ...input });
            else await api.call('settings.workTypes.create', input);
            await onDone();
          }}
          actions={
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          }
        >
          <TextField name="name" label="Вид работы" value={name} onChange={setName} autoFocus placeholder="Контрольная работа" />
          <TextField name="weight" label="Вес" value={weight} onChange={setWeight} inputMode="decimal" size={4} />
          <TextField name="markDueDays" label="Срок, дней" value={markDueDays} onChange={setMarkDueDays} inputMode="numeric" size={3} />
          <TextField name="sortOrder" label="Порядок" value={sortOrder} onChange={setSortOrder} inputMode="numeric" size={4} />
          <CheckboxField name="active" label="Используется" checked={active} onChange={setActive} />
        </Form>
      </td>
    </tr>
  );
}
