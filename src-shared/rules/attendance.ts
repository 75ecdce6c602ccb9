// Attendance codes (D-27, D-28).

export const attendanceCodes = ['ОТ', 'ОП', 'УП', 'Б', 'НП'] as const;
export type AttendanceCode = (typeof attendanceCodes)[number];

/** What the subject teacher marks in a lesson (D-27). */
export const teacherCodes = ['ОТ', 'ОП'] as const satisfies readonly AttendanceCode[];
/** What the class teacher turns an «ОТ» into (D-28). */
export const reasonCodes = ['УП', 'Б', 'НП'] as const satisfies readonly AttendanceCode[];

export const attendanceTitles: Record<AttendanceCode, string> = {
  ОТ: 'отсутствовал (причина не указана)',
  ОП: 'опоздал',
  УП: 'пропуск по уважительной причине',
  Б: 'пропуск по болезни',
  НП: 'пропуск без уважительной причины',
};

/** The student missed the lesson (late is not missing). */
export function isAbsence(code: string | null | undefined): boolean {
  return code === 'ОТ' || code === 'УП' || code === 'Б' || code === 'НП';
}

export function isReasonCode(code: string | null | undefined): boolean {
  return code === 'УП' || code === 'Б' || code === 'НП';
}

/** An «ОТ» still waiting for the class teacher's reason (D-28). */
export function isUnresolved(code: string | null | undefined): boolean {
  return code === 'ОТ';
}
