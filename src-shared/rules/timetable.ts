// The weekly timetable: when two entries cannot stand at the same weekday and lesson.

export const weekdayNames = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'] as const;

export interface Validity {
  validFrom: string;
  /** Inclusive; null while the entry is in force. */
  validTo: string | null;
}

export function validitiesOverlap(a: Validity, b: Validity): boolean {
  return (b.validTo === null || a.validFrom <= b.validTo) && (a.validTo === null || b.validFrom <= a.validTo);
}

export interface SlotEntry extends Validity {
  weekday: number;
  lessonNumber: number;
  teacherId: number;
  classId: number;
  /** Null when the whole class is taught. */
  subgroupId: number | null;
  room: string;
}

export type SlotClash = 'teacher' | 'room' | 'class';

/**
 * Why two entries cannot share their slot, or null. Two different subgroups of one class
 * may be taught at once (English 1st and 2nd group in two rooms); the whole class may not
 * be anywhere else at that time.
 */
export function slotClash(a: SlotEntry, b: SlotEntry): SlotClash | null {
  if (a.weekday !== b.weekday || a.lessonNumber !== b.lessonNumber || !validitiesOverlap(a, b)) return null;
  if (a.teacherId === b.teacherId) return 'teacher';
  const roomA = a.room.trim().toLowerCase();
  if (roomA !== '' && roomA === b.room.trim().toLowerCase()) return 'room';
  if (a.classId === b.classId && (a.subgroupId === null || b.subgroupId === null || a.subgroupId === b.subgroupId)) return 'class';
  return null;
}

/** 'HH:MM' → minutes since midnight. */
export function clockMinutes(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

export interface Bell {
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
}

/** The first problem of a bell schedule: a lesson ending before it starts, or running into the next. */
export function bellsProblem(bells: readonly Bell[]): string | null {
  const sorted = [...bells].sort((a, b) => a.lessonNumber - b.lessonNumber);
  for (let i = 0; i < sorted.length; i++) {
    const bell = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.lessonNumber === bell.lessonNumber) return `Урок ${bell.lessonNumber} указан дважды.`;
    if (clockMinutes(bell.startsAt) >= clockMinutes(bell.endsAt)) return `Урок ${bell.lessonNumber}: начало ${bell.startsAt} не раньше конца ${bell.endsAt}.`;
    const previous = sorted[i - 1];
    if (previous && clockMinutes(previous.endsAt) > clockMinutes(bell.startsAt)) {
      return `Урок ${bell.lessonNumber} начинается в ${bell.startsAt}, а урок ${previous.lessonNumber} заканчивается только в ${previous.endsAt}.`;
    }
  }
  return null;
}
