/** Russia's time zones for the first-run choice, west to east. */
export const russianTimeZones: readonly { value: string; label: string }[] = [
  { value: 'Europe/Kaliningrad', label: 'МСК−1 — Калининград' },
  { value: 'Europe/Moscow', label: 'МСК — Москва, Санкт-Петербург' },
  { value: 'Europe/Volgograd', label: 'МСК — Волгоград' },
  { value: 'Europe/Samara', label: 'МСК+1 — Самара, Ижевск' },
  { value: 'Europe/Astrakhan', label: 'МСК+1 — Астрахань' },
  { value: 'Europe/Saratov', label: 'МСК+1 — Саратов' },
  { value: 'Europe/Ulyanovsk', label: 'МСК+1 — Ульяновск' },
  { value: 'Asia/Yekaterinburg', label: 'МСК+2 — Екатеринбург, Челябинск, Тюмень' },
  { value: 'Asia/Omsk', label: 'МСК+3 — Омск' },
  { value: 'Asia/Novosibirsk', label: 'МСК+4 — Новосибирск' },
  { value: 'Asia/Barnaul', label: 'МСК+4 — Барнаул' },
  { value: 'Asia/Tomsk', label: 'МСК+4 — Томск' },
  { value: 'Asia/Novokuznetsk', label: 'МСК+4 — Кемерово, Новокузнецк' },
  { value: 'Asia/Krasnoyarsk', label: 'МСК+4 — Красноярск' },
  { value: 'Asia/Irkutsk', label: 'МСК+5 — Иркутск, Улан-Удэ' },
  { value: 'Asia/Chita', label: 'МСК+6 — Чита' },
  { value: 'Asia/Yakutsk', label: 'МСК+6 — Якутск, Благовещенск' },
  { value: 'Asia/Vladivostok', label: 'МСК+7 — Владивосток, Хабаровск' },
  { value: 'Asia/Magadan', label: 'МСК+8 — Магадан' },
  { value: 'Asia/Sakhalin', label: 'МСК+8 — Южно-Сахалинск' },
  { value: 'Asia/Srednekolymsk', label: 'МСК+8 — Среднеколымск' },
  { value: 'Asia/Kamchatka', label: 'МСК+9 — Петропавловск-Камчатский' },
  { value: 'Asia/Anadyr', label: 'МСК+9 — Анадырь' },
];

export const DEFAULT_TIME_ZONE = 'Europe/Moscow';
