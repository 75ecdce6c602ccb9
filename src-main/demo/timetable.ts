import type { Random } from './random';

// A weekly timetable per class, greedy slot by slot: each hour goes to the free lesson
// that keeps the class's day compact and spreads a subject over the week, and never to a
// lesson where one of its teachers is already teaching. When a teacher is busy everywhere
// the class is free, the hour moves to another teacher of the same specialty.

export const WEEKDAYS = 5; // a five-day week
export const LESSONS_PER_DAY = 8;

export interface TimetableLoad {
  teacherId: number;
  /** Teachers who may take the load over when its teacher is busy (same specialty). */
  alternatives: readonly number[];
}

/** One weekly hour of a subject: one load, or the parallel loads of its subgroups. */
export interface TimetableUnit<L extends TimetableLoad> {
  classKey: number;
  subjectKey: number;
  loads: L[];
}

export interface Placement<L> {
  load: L;
  weekday: number;
  lessonNumber: number;
}

export interface TimetableResult<L> {
  placements: Placement<L>[];
  /** Hours that found no slot: the class gets fewer hours of that subject. */
  unplaced: number;
  /** Loads that moved to another teacher to avoid a clash. */
  reassigned: number;
}

const slot = (weekday: number, lesson: number) => weekday * 10 + lesson;

export function buildTimetable<L extends TimetableLoad>(
  unitsByClass: ReadonlyArray<ReadonlyArray<TimetableUnit<L>>>,
  random: Random,
): TimetableResult<L> {
  const busy = new Map<number, Set<number>>();
  const isFree = (teacher: number, at: number) => !busy.get(teacher)?.has(at);
  const occupy = (teacher: number, at: number) => {
    let set = busy.get(teacher);
    if (!set) busy.set(teacher, (set = new Set()));
    set.add(at);
  };
  const placements: Placement<L>[] = [];
  const placedSlotsOfLoad = new Map<L, number[]>();
  let unplaced = 0;
  let reassigned = 0;

  // The fullest weeks first: they have the least room to manoeuvre.
  const order = [...unitsByClass].sort((a, b) => b.length - a.length);
  for (const classUnits of order) {
    const units = random.shuffle([...classUnits]);
    const hoursOf = new Map<number, number>();
    for (const unit of units) hoursOf.set(unit.subjectKey, (hoursOf.get(unit.subjectKey) ?? 0) + 1);
    units.sort((a, b) => hoursOf.get(b.subjectKey)! - hoursOf.get(a.subjectKey)!);

    const target = Math.ceil(units.length / WEEKDAYS);
    const taken = new Set<number>();
    const perDay = new Array<number>(WEEKDAYS + 1).fill(0);
    const subjectDays = new Set<number>();

    const freeFor = (unit: TimetableUnit<L>, at: number) => unit.loads.every((load) => isFree(load.teacherId, at));

    for (const unit of units) {
      const consider = (check: (at: number) => boolean): number | null => {
        let best: { at: number; score: number } | null = null;
        for (let day = 1; day <= WEEKDAYS; day++) {
          let emptyBelow = 0;
          for (let lesson = 1; lesson <= LESSONS_PER_DAY; lesson++) {
            const at = slot(day, lesson);
            if (taken.has(at)) continue;
            if (check(at)) {
              const sameSubjectThatDay = subjectDays.has(unit.subjectKey * 10 + day);
              const score = (sameSubjectThatDay ? 60 : 0) + emptyBelow * 25 + perDay[day]! * 8 + (perDay[day]! >= target ? 40 : 0) + lesson;
              if (!best || score < best.score) best = { at, score };
            }
            emptyBelow += 1;
          }
        }
        return best ? (best as { at: number }).at : null;
      };
      let chosen = consider((at) => freeFor(unit, at));

      if (chosen === null && unit.loads.length === 1) {
        // Hand the whole load to a colleague of the same specialty who is free both here
        // and at the hours the load already has.
        const load = unit.loads[0]!;
        const already = placedSlotsOfLoad.get(load) ?? [];
        for (const candidate of load.alternatives) {
          if (candidate === load.teacherId || !already.every((at) => isFree(candidate, at))) continue;
          chosen = consider((at) => isFree(candidate, at));
          if (chosen !== null) {
            for (const at of already) {
              busy.get(load.teacherId)?.delete(at);
              occupy(candidate, at);
            }
            load.teacherId = candidate;
            reassigned += 1;
            break;
          }
        }
      }

      if (chosen === null) {
        unplaced += 1;
        continue;
      }
      const day = Math.floor(chosen / 10);
      taken.add(chosen);
      perDay[day]! += 1;
      subjectDays.add(unit.subjectKey * 10 + day);
      for (const load of unit.loads) {
        occupy(load.teacherId, chosen);
        placements.push({ load, weekday: day, lessonNumber: chosen % 10 });
        const list = placedSlotsOfLoad.get(load) ?? [];
        list.push(chosen);
        placedSlotsOfLoad.set(load, list);
      }
    }
  }
  return { placements, unplaced, reassigned };
}

/** Teachers busy at the same hour: empty when the timetable is sound. */
export function teacherClashes(entries: ReadonlyArray<{ teacherId: number; weekday: number; lessonNumber: number }>): string[] {
  const seen = new Set<string>();
  const clashes: string[] = [];
  for (const entry of entries) {
    const key = `${entry.teacherId}:${entry.weekday}:${entry.lessonNumber}`;
    if (seen.has(key)) clashes.push(key);
    seen.add(key);
  }
  return clashes;
}
