/**
 * Proleptic Gregorian calendar arithmetic on plain numbers. We avoid `Date`: it maps years 0-99 to 1900-1999,
 * silently rolls 2023-02-30 over to March, and its parser accepts formats that differ between engines.
 */

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Years 1-9999, as four digits: what an ISO 8601 date without an expanded year can hold. */
export function isValidDate({ year, month, day }: CivilDate): boolean {
  return (
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function daysFromCivil({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const two = (n: number) => String(n).padStart(2, "0");

export function formatDate({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}`;
}

/** `YYYY-MM-DDTHH:mm:ssZ` for a number of seconds since 1970-01-01T00:00:00Z. */
export function formatDateTime(epochSeconds: number): string {
  const days = Math.floor(epochSeconds / 86400);
  const rest = epochSeconds - days * 86400;
  const time = `${two(Math.floor(rest / 3600))}:${two(Math.floor(rest / 60) % 60)}:${two(rest % 60)}`;
  return `${formatDate(civilFromDays(days))}T${time}Z`;
}
