import { UsageError } from "../cli/errors.js";

export interface ChangeWindow {
  days: string[];
  from: string;
  to: string;
  timezone: string;
}

/**
 * Whether `now` falls in a change window (`from` inclusive, `to` exclusive) in the window's time zone. A window
 * whose `to` is before its `from` runs overnight: it opens on a listed day and closes the next morning.
 */
export function windowState(window: ChangeWindow, now: Date): { open: boolean; local: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: window.timezone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = part("weekday");
  const time = `${part("hour")}:${part("minute")}`;
  const local = `${day} ${time} ${window.timezone}`;
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const yesterday = days[(days.indexOf(day) + 6) % 7] ?? "";
  if (window.from <= window.to)
    return { open: window.days.includes(day) && time >= window.from && time < window.to, local };
  const open =
    (window.days.includes(day) && time >= window.from) ||
    (window.days.includes(yesterday) && time < window.to);
  return { open, local };
}

/** The clock windows are checked against: CLUE_NOW (an ISO time) stands in for now, to rehearse a promotion. */
export function clock(): Date {
  const fixed = process.env.CLUE_NOW;
  if (fixed === undefined || fixed === "") return new Date();
  const date = new Date(fixed);
  if (Number.isNaN(date.getTime())) throw new UsageError(`CLUE_NOW is not an ISO time: ${fixed}`);
  return date;
}

export function describeWindow(window: ChangeWindow): string {
  return `${window.days.join(", ")} ${window.from}–${window.to} ${window.timezone}`;
}
