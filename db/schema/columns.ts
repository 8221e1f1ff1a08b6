import { sql } from "drizzle-orm";
import { integer, timestamp, uuid } from "drizzle-orm/pg-core";

/** Shared column builders: every table uses the same id and timestamp shapes. */
export const id = () => uuid().primaryKey().defaultRandom();
export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const version = () => integer().notNull().default(1);
export const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
