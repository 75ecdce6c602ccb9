import type { Generated } from 'kysely';

// The school year and its people (D-10 … D-14, D-20 … D-22, D-45).

export interface AcademicYearTable {
  id: Generated<number>;
  name: string; // '2025/2026'
  starts_on: string;
  ends_on: string;
  closed_at: string | null; // D-14: a closed year is read-only
}

/** Quarters, trimesters or half-years; a set of periods applies to a range of grades. */
export interface StudyPeriodTable {
  id: Generated<number>;
  year_id: number;
  kind: string; // 'quarter' | 'trimester' | 'half'
  number: number; // 1-based within the kind
  name: string; // 'I четверть'
  starts_on: string;
  ends_on: string;
  grade_from: number;
  grade_to: number;
}

export interface HolidayTable {
  id: Generated<number>;
  year_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface SubjectTable {
  id: Generated<number>;
  name: string; // the full curriculum name, printed as is (D-10)
  short_name: string; // for narrow screen columns only, never printed
  grade_from: number;
  grade_to: number;
  sort_order: number;
}

/** Weekly hours of a subject in a grade (the curriculum). */
export interface CurriculumHoursTable {
  year_id: number;
  subject_id: number;
  grade: number;
  hours_per_week: number;
}

export interface SchoolClassTable {
  id: Generated<number>;
  year_id: number;
  grade: number; // 0 (preparatory) … 11
  letter: string; // 'А'
  name: string; // '5А'
  class_teacher_id: number | null;
  room: string;
  no_marks: number; // D-19: grades 0–1
}

export interface StudentTable {
  id: Generated<number>;
  surname: string;
  name: string;
  patronymic: string;
  birth_date: string | null;
  gender: string; // 'м' | 'ж' | ''
  created_at: string;
}

/** A student's place in a class for a year, with movement (D-13). */
export interface EnrollmentTable {
  id: Generated<number>;
  student_id: number;
  class_id: number;
  arrived_on: string;
  arrival_order: string;
  departed_on: string | null;
  departure_order: string;
  /** D-14: the last year's enrollment this one continues after the transition (not an arrival). */
  continues_enrollment_id: Generated<number | null>;
}

/** Personal-data consent (152-ФЗ, D-45), by the student (14+) or a parent. */
export interface ConsentTable {
  id: Generated<number>;
  student_id: number;
  given_by: string; // 'student' | 'parent'
  giver_name: string;
  given_on: string;
  withdrawn_on: string | null;
  /** D-45: destroyed after the student left, by the act named here (the row stays for the act). */
  destroyed_on: Generated<string | null>;
  destruction_act_id: Generated<number | null>;
}

/** A parent or legal representative of a student (000 §4.6.2–4.6.4). */
export interface StudentParentTable {
  id: Generated<number>;
  student_id: number;
  full_name: string;
  relation: string; // one of parentRelations
  phone: string; // '+7 (912) 345-67-89' or ''
  address: string; // for letters; '' when not given
  receives_paper: number; // 0/1: the one the paper extracts go to (at most one per student)
  /** D-45: their consent to processing their own personal data. */
  consent_given_on: string | null;
  consent_withdrawn_on: string | null;
  created_at: string;
}

/** D-45: the act of destruction of a departed student's consents (000 Appendix 1). */
export interface ConsentDestructionActTable {
  id: Generated<number>;
  number: number; // «Акт № N», sequential for the school
  drawn_up_on: string;
  student_id: number;
  student_name: string; // kept as text: the act outlives any later correction of the card
  class_name: string;
  reason: string; // 'Выбытие' | 'Выпуск'
  departure_order: string;
  consents: string; // JSON: the consents destroyed, as they were
  drawn_up_by: number | null;
  drawn_up_by_name: string;
  created_at: string;
}

export interface SubgroupTable {
  id: Generated<number>;
  class_id: number;
  subject_id: number;
  name: string; // '1 группа'
}

/** Membership with dates: a move closes one row and opens another at a period boundary (D-12). */
export interface SubgroupMemberTable {
  id: Generated<number>;
  subgroup_id: number;
  student_id: number;
  from_date: string;
  to_date: string | null;
}

/** Who teaches what to whom: class × subject (× subgroup) × teacher (D-11). */
export interface TeachingLoadTable {
  id: Generated<number>;
  year_id: number;
  class_id: number;
  subject_id: number;
  subgroup_id: number | null;
  teacher_id: number;
  hours_per_week: number;
}

export interface BellTable {
  lesson_number: number; // primary key
  starts_at: string; // 'HH:MM'
  ends_at: string;
}

export interface TimetableEntryTable {
  id: Generated<number>;
  load_id: number; // class, subject, subgroup and teacher come from the load
  weekday: number; // 1 = Monday … 6 = Saturday
  lesson_number: number;
  room: string;
  valid_from: string;
  valid_to: string | null;
}

/** Work types with weights (D-22). */
export interface WorkTypeTable {
  id: Generated<number>;
  name: string;
  weight: number;
  /** Days allowed for marks of this type (D-18): 1 oral, 3 written, 7 essays… */
  mark_due_days: number;
  sort_order: number;
  active: number;
}

/** The school itself: one row (id 1), created at the first run (setup.createSchool). */
export interface SchoolTable {
  id: number; // the chain's number: one school per database
  name: string;
  time_zone: string;
  created_at: string;
  signing_key_private: string | null;
  signing_key_public: string | null;
  /** Id of the school's audit key (migration 0011); the key itself is kept on the PCs, never here. */
  audit_key_id: string | null;
}

export interface SchoolTables {
  school: SchoolTable;
  academic_year: AcademicYearTable;
  study_period: StudyPeriodTable;
  holiday: HolidayTable;
  subject: SubjectTable;
  curriculum_hours: CurriculumHoursTable;
  school_class: SchoolClassTable;
  student: StudentTable;
  enrollment: EnrollmentTable;
  consent: ConsentTable;
  student_parent: StudentParentTable;
  consent_destruction_act: ConsentDestructionActTable;
  subgroup: SubgroupTable;
  subgroup_member: SubgroupMemberTable;
  teaching_load: TeachingLoadTable;
  bell: BellTable;
  timetable_entry: TimetableEntryTable;
  work_type: WorkTypeTable;
}
