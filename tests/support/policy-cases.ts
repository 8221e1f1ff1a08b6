/** The baseline table from docs/security.md: role × environment tier. */
export const BASELINE = {
  owner: { lower: "admin", staging: "admin", production: "admin" },
  admin: { lower: "admin", staging: "admin", production: "admin" },
  lead: { lower: "admin", staging: "admin", production: "read" },
  developer: { lower: "write", staging: "write", production: "none" },
  viewer: { lower: "read", staging: "read", production: "none" },
  security_reviewer: { lower: "none", staging: "none", production: "none" },
  on_call: { lower: "read", staging: "read", production: "read" },
} as const;

type TimeCase = {
  name: string;
  restriction: { days?: number[]; from?: string; to?: string };
  timeZone: string;
  at: string;
  allowed: boolean;
};

const WEEKDAYS = { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" };
const FRIDAY_NIGHT = { days: [5], from: "22:00", to: "06:00" };

/**
 * Time-of-day restrictions at fixed instants: lib/time-restrictions and SQL app_policy_time_ok must give the
 * same answer for each. 2026-11-23 is a Monday; Europe/London changes clocks on 2026-03-29 (01:00 UTC,
 * GMT → BST) and 2026-10-25 (01:00 UTC, BST → GMT).
 */
export const TIME_CASES: TimeCase[] = [
  { name: "no restriction", restriction: {}, timeZone: "UTC", at: "2026-11-28T03:00:00Z", allowed: true },
  {
    name: "weekday start is inclusive",
    restriction: WEEKDAYS,
    timeZone: "UTC",
    at: "2026-11-23T09:00:00Z",
    allowed: true,
  },
  {
    name: "a second before the start",
    restriction: WEEKDAYS,
    timeZone: "UTC",
    at: "2026-11-23T08:59:59Z",
    allowed: false,
  },
  {
    name: "a second before the end",
    restriction: WEEKDAYS,
    timeZone: "UTC",
    at: "2026-11-23T17:59:59Z",
    allowed: true,
  },
  {
    name: "weekday end is exclusive",
    restriction: WEEKDAYS,
    timeZone: "UTC",
    at: "2026-11-23T18:00:00Z",
    allowed: false,
  },
  {
    name: "Saturday is not a weekday",
    restriction: WEEKDAYS,
    timeZone: "UTC",
    at: "2026-11-28T12:00:00Z",
    allowed: false,
  },
  {
    name: "London in winter: 08:30 UTC is 08:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-03-27T08:30:00Z",
    allowed: false,
  },
  {
    name: "London in winter: 17:30 UTC is 17:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-03-27T17:30:00Z",
    allowed: true,
  },
  {
    name: "London after the spring change: 08:30 UTC is 09:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-03-30T08:30:00Z",
    allowed: true,
  },
  {
    name: "London after the spring change: 17:30 UTC is 18:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-03-30T17:30:00Z",
    allowed: false,
  },
  {
    name: "London before the autumn change: 08:30 UTC is 09:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-10-23T08:30:00Z",
    allowed: true,
  },
  {
    name: "London after the autumn change: 08:30 UTC is 08:30",
    restriction: WEEKDAYS,
    timeZone: "Europe/London",
    at: "2026-10-26T08:30:00Z",
    allowed: false,
  },
  {
    name: "London on the change night: 00:59 GMT",
    restriction: { days: [7], from: "01:00", to: "03:00" },
    timeZone: "Europe/London",
    at: "2026-03-29T00:59:00Z",
    allowed: false,
  },
  {
    name: "London on the change night: 01:00 UTC is 02:00 BST",
    restriction: { days: [7], from: "01:00", to: "03:00" },
    timeZone: "Europe/London",
    at: "2026-03-29T01:00:00Z",
    allowed: true,
  },
  {
    name: "London on the change night: 02:00 UTC is 03:00 BST",
    restriction: { days: [7], from: "01:00", to: "03:00" },
    timeZone: "Europe/London",
    at: "2026-03-29T02:00:00Z",
    allowed: false,
  },
  {
    name: "New York: 08:59 EST",
    restriction: WEEKDAYS,
    timeZone: "America/New_York",
    at: "2026-11-24T13:59:00Z",
    allowed: false,
  },
  {
    name: "New York: 09:00 EST",
    restriction: WEEKDAYS,
    timeZone: "America/New_York",
    at: "2026-11-24T14:00:00Z",
    allowed: true,
  },
  {
    name: "Auckland is already Tuesday",
    restriction: { days: [2] },
    timeZone: "Pacific/Auckland",
    at: "2026-11-23T12:00:00Z",
    allowed: true,
  },
  {
    name: "UTC is still Monday",
    restriction: { days: [2] },
    timeZone: "UTC",
    at: "2026-11-23T12:00:00Z",
    allowed: false,
  },
  {
    name: "overnight starts on Friday",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-27T22:00:00Z",
    allowed: true,
  },
  {
    name: "overnight not before its start",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-27T21:59:00Z",
    allowed: false,
  },
  {
    name: "overnight runs into Saturday",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-28T05:59:00Z",
    allowed: true,
  },
  {
    name: "overnight ends on Saturday 06:00",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-28T06:00:00Z",
    allowed: false,
  },
  {
    name: "Friday early morning belongs to Thursday's night",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-27T05:00:00Z",
    allowed: false,
  },
  {
    name: "Saturday late is not Friday's night",
    restriction: FRIDAY_NIGHT,
    timeZone: "UTC",
    at: "2026-11-28T22:30:00Z",
    allowed: false,
  },
  {
    name: "Sunday is day 7",
    restriction: { days: [7] },
    timeZone: "UTC",
    at: "2026-11-29T12:00:00Z",
    allowed: true,
  },
  {
    name: "Sunday starts at midnight",
    restriction: { days: [7] },
    timeZone: "UTC",
    at: "2026-11-29T00:00:00Z",
    allowed: true,
  },
  {
    name: "Saturday 23:59 is not Sunday",
    restriction: { days: [7] },
    timeZone: "UTC",
    at: "2026-11-28T23:59:00Z",
    allowed: false,
  },
  {
    name: "Monday is not Sunday",
    restriction: { days: [7] },
    timeZone: "UTC",
    at: "2026-11-30T00:00:00Z",
    allowed: false,
  },
  {
    name: "Sunday night runs into Monday",
    restriction: { days: [7], from: "20:00", to: "02:00" },
    timeZone: "UTC",
    at: "2026-11-30T01:00:00Z",
    allowed: true,
  },
  {
    name: "Sunday early morning is Saturday's night",
    restriction: { days: [7], from: "20:00", to: "02:00" },
    timeZone: "UTC",
    at: "2026-11-29T01:00:00Z",
    allowed: false,
  },
  {
    name: "until midnight: 23:59",
    restriction: { days: [5], from: "18:00", to: "00:00" },
    timeZone: "UTC",
    at: "2026-11-27T23:59:00Z",
    allowed: true,
  },
  {
    name: "until midnight: not Saturday 00:00",
    restriction: { days: [5], from: "18:00", to: "00:00" },
    timeZone: "UTC",
    at: "2026-11-28T00:00:00Z",
    allowed: false,
  },
  {
    name: "hours without days: every day",
    restriction: { from: "09:00", to: "17:00" },
    timeZone: "UTC",
    at: "2026-11-29T10:00:00Z",
    allowed: true,
  },
  {
    name: "from = to never matches",
    restriction: { from: "09:00", to: "09:00" },
    timeZone: "UTC",
    at: "2026-11-23T09:00:00Z",
    allowed: false,
  },
  {
    name: "an empty day list never matches",
    restriction: { days: [] },
    timeZone: "UTC",
    at: "2026-11-23T09:00:00Z",
    allowed: false,
  },
  {
    name: "only a start never matches",
    restriction: { from: "09:00" },
    timeZone: "UTC",
    at: "2026-11-23T10:00:00Z",
    allowed: false,
  },
];
