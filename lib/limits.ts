/** Size limits of requests, in one place (next.config.mjs repeats the body limit; a unit test compares). */

/** The largest `.env` text an import takes, in bytes of UTF-8 (documented as 5 MB). */
export const DOTENV_IMPORT_MAX_BYTES = 5_000_000;

/**
 * The largest server action request body: the largest import JSON-escaped (quotes and backslashes take two
 * bytes) with its preview's version map, and room to spare. Bigger bodies are refused with 413.
 */
export const ACTION_BODY_LIMIT_BYTES = 12 * 1024 * 1024;
