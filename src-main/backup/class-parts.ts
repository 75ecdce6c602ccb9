import type { SqlRunner } from './catalog';
import { PartBuilder } from './snapshot';
import type { PartData } from './container';

/**
 * D-37: the journals archived by class. For every class of the current school year, a part
 * with that class's own data as JSON, readable without the program: the class, its
 * students and their movement, the teaching loads, lessons, marks, attendance and finals.
 * Read inside the same snapshot as the whole-database part, so both tell the same story.
 */
export const CLASS_PART_FORMAT = 'zhurnal-class';

export interface CurrentYear {
  id: number;
  name: string;
}

/** The year that contains `today`; else the latest that has started; else none. */
export async function currentYear(run: SqlRunner, today: string): Promise<CurrentYear | null> {
  const p = run.engine === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  const within = await run.all(
    `select id, name from academic_year where starts_on <= ${p[0]} and ends_on >= ${p[1]} order by starts_on desc limit 1`,
    [today, today],
  );
  const row = within[0] ?? (await run.all(`select id, name from academic_year where starts_on <= ${p[0]} order by starts_on desc limit 1`, [today]))[0];
  return row ? { id: Number(row.id), name: String(row.name) } : null;
}

export interface ClassPartSource {
  run: SqlRunner;
  today: string;
}

export async function buildClassParts({ run, today }: ClassPartSource): Promise<{ year: CurrentYear | null; parts: PartData[] }> {
  const year = await currentYear(run, today);
  if (!year) return { year: null, parts: [] };
  const $ = (n: number) => (run.engine === 'postgres' ? `$${n}` : '?');
  const classes = await run.all(`select * from school_class where year_id = ${$(1)} order by grade, letter, id`, [year.id]);
  const parts: PartData[] = [];
  for (const schoolClass of classes) {
    const classId = Number(schoolClass.id);
    const byClass = [classId];
    const loadsOfClass = `select id from teaching_load where class_id = ${$(1)}`;
    const lessonsOfClass = `select l.id from lesson l join teaching_load t on t.id = l.load_id where t.class_id = ${$(1)}`;
    const sections = {
      class: [schoolClass],
      enrollments: await run.all(`select * from enrollment where class_id = ${$(1)} order by id`, byClass),
      students: await run.all(`select * from student where id in (select student_id from enrollment where class_id = ${$(1)}) order by surname, name, id`, byClass),
      loads: await run.all(
        `select t.*, s.name as subject_name, u.full_name as teacher_name
           from teaching_load t join subject s on s.id = t.subject_id join app_user u on u.id = t.teacher_id
          where t.class_id = ${$(1)} order by t.id`,
        byClass,
      ),
      subgroups: await run.all(`select * from subgroup where class_id = ${$(1)} order by id`, byClass),
      subgroupMembers: await run.all(`select * from subgroup_member where subgroup_id in (select id from subgroup where class_id = ${$(1)}) order by id`, byClass),
      lessons: await run.all(`select * from lesson where load_id in (${loadsOfClass}) order by date, id`, byClass),
      marks: await run.all(`select * from mark where lesson_id in (${lessonsOfClass}) order by id`, byClass),
      attendance: await run.all(`select * from attendance where lesson_id in (${lessonsOfClass}) order by lesson_id, student_id`, byClass),
      finalMarks: await run.all(`select * from final_mark where load_id in (${loadsOfClass}) order by id`, byClass),
    };
    const builder = new PartBuilder();
    builder.line(JSON.stringify({ format: CLASS_PART_FORMAT, version: 1, schoolYear: year.name, ...sections }));
    const finished = builder.finish();
    const counts = Object.fromEntries(Object.entries(sections).map(([name, rows]) => [name, rows.length]));
    const className = String(schoolClass.name);
    parts.push({
      entry: {
        name: `class-${classId}`,
        kind: 'class',
        title: `Класс ${className}`,
        classId,
        className,
        rows: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
        sha256: finished.sha256,
        plainBytes: finished.plainBytes,
        encoding: 'gzip',
      },
      data: finished.data,
    });
  }
  return { year, parts };
}
