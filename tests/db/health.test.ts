import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { createDb, type Database } from "@/db/client";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";

const holder = globalThis as unknown as { ringbearerDb?: Database };

describe("GET /api/health", () => {
  const live = holder.ringbearerDb;
  afterAll(() => {
    holder.ringbearerDb = live;
  });

  it("answers 200 ok when the database answers", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("answers 503 with a code, and no stack trace, when the database is down", async () => {
    const down = createDb("postgres://ringbearer_app:pw@127.0.0.1:1/ringbearer", { max: 1 });
    holder.ringbearerDb = down;
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toEqual({
      status: "error",
      database: "unavailable",
      error: { code: "unavailable:database" },
    });
    await down.$client.end({ timeout: 1 });
  });

  it("maps a refused connection to unavailable:database for actions", async () => {
    const down = createDb("postgres://ringbearer_app:pw@127.0.0.1:1/ringbearer", { max: 1 });
    const error = await down.execute("select 1").catch((e: unknown) => toAppError(e));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unavailable:database");
    await down.$client.end({ timeout: 1 });
  });
});
