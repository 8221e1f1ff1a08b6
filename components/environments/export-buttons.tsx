"use client";

import { useState, useTransition } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";

type Format = "env" | "json";

/**
 * Downloads an environment's values. An export reveals every value, so it needs the same step-up as a reveal
 * (a recent re-authentication when one is wedding-critical in production): the dialog asks, then it retries.
 */
export function ExportButtons({
  org,
  environment,
}: {
  org: string;
  environment: { id: string; name: string };
}) {
  const { withStepUp, dialog } = useStepUp();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const fetchExport = async (format: Format): Promise<ActionResult<Blob>> => {
    const response = await fetch(`/api/o/${org}/environments/${environment.id}/export?format=${format}`, {
      cache: "no-store",
    });
    if (response.ok) return { ok: true, data: await response.blob() };
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; meta?: Record<string, unknown> };
    } | null;
    return {
      ok: false,
      error: {
        code: body?.error?.code ?? "internal",
        message: body?.error?.message ?? `The export failed (HTTP ${response.status})`,
        meta: body?.error?.meta,
      },
    };
  };
  const download = (format: Format) =>
    start(async () => {
      setError(null);
      const result = await withStepUp(() => fetchExport(format));
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      const url = URL.createObjectURL(result.data);
      const link = document.createElement("a");
      link.href = url;
      link.download = `${environment.name}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    });
  return (
    <div className="space-y-2">
      <div className="flex gap-3 text-sm">
        {(["env", "json"] as const).map((format) => (
          <Button
            key={format}
            type="button"
            variant="secondary"
            disabled={pending}
            onClick={() => download(format)}
          >
            Download {environment.name}.{format}
          </Button>
        ))}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {dialog}
    </div>
  );
}
