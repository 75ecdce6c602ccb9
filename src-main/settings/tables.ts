// The school-wide settings (migration 0001): one JSON value per key (settings/school-settings.ts).

export interface SchoolSettingTable {
  key: string;
  value: string; // JSON
}

export interface SettingsTables {
  school_setting: SchoolSettingTable;
}
