"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { DOTENV_IMPORT_MAX_BYTES } from "@/lib/limits";
import { applyImportAction, previewImportAction } from "@/server/actions/environments";
import type { ImportPreview, ImportStatus } from "@/server/values/dotenv-import";

const TONE: Record<ImportStatus, "green" | "amber" | "neutral" | "red"> = {
  new: "green",
  changed: "amber",
  unchanged: "neutral",
  invalid: "red",
};

/** Paste or choose a .env file → preview line by line → apply in one transaction (or nothing). */
export function ImportForm({ org, environment }: { org: string; environment: { id: string; name: string } }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewedText, setPreviewedText] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; lines: string[] } | null>(null);
  const [note, setNote] = useState("");
  const [pending, start] = useTransition();
  const stale = preview !== null && previewedText !== text;

  /** Refused here, before sending: the server would refuse it too, and the upload would be for nothing. */
  const tooLarge = () => {
    if (new Blob([text]).size <= DOTENV_IMPORT_MAX_BYTES) return false;
    setMessage({ ok: false, lines: ["At most 5 MB of .env text: split the file and import it in parts."] });
    return true;
  };

  const runPreview = () =>
    start(async () => {
      setMessage(null);
      if (tooLarge()) return;
      const result = await previewImportAction(org, { environmentId: environment.id, text });
      if (result.ok) {
        setPreview(result.data);
        setPreviewedText(text);
      } else {
        setPreview(null);
        setMessage({
          ok: false,
          lines: [result.error.message, ...Object.values(result.fieldErrors ?? {}).flat()],
        });
      }
    });

  const apply = () =>
    start(async () => {
      if (!preview || tooLarge()) return;
      const result = await applyImportAction(org, {
        environmentId: environment.id,
        text,
        expected: preview.expected,
        note: note || undefined,
      });
      if (result.ok) {
        const { created, written, unchanged, request } = result.data;
        setMessage({
          ok: true,
          lines: [
            request
              ? `Sent for approval (${request.riskLevel} risk): ${request.items} value(s) for ${environment.name} wait for a reviewer (${created} new variable(s) created, ${unchanged} unchanged).`
              : `Imported into ${environment.name}: ${written} value(s) written (${created} new variable(s)), ${unchanged} unchanged.`,
          ],
        });
        setPreview(null);
        setText("");
        router.refresh();
      } else {
        setMessage({
          ok: false,
          lines: [
            `${result.error.message} Nothing was imported.`,
            ...Object.values(result.fieldErrors ?? {}).flat(),
          ],
        });
      }
    });

  const onFile = async (file: File | undefined) => {
    if (file) setText(await file.text());
  };

  return (
    <div className="space-y-3">
      <label className="block text-sm font-medium" htmlFor="dotenv-text">
        .env contents
      </label>
      <Textarea
        id="dotenv-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={10}
        spellCheck={false}
        autoComplete="off"
        className="font-mono"
        placeholder={
          'STRIPE_SECRET_KEY=sk_test_…\n# comments are ignored\nPRIVATE_KEY="-----BEGIN KEY-----\n…\n-----END KEY-----"'
        }
      />
      <div className="flex flex-wrap items-center gap-3">
        <label className="text-sm">
          <span className="sr-only">Choose a .env file</span>
          <input type="file" accept=".env,text/plain" onChange={(e) => onFile(e.target.files?.[0])} />
        </label>
        <Button
          type="button"
          variant="secondary"
          onClick={runPreview}
          disabled={pending || text.length === 0}
        >
          Preview import
        </Button>
        <label className="flex flex-col gap-1 text-sm" htmlFor="import-note">
          <span className="font-medium">Note (the reason, if it needs approval)</span>
          <Input
            id="import-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            className="w-80"
            maxLength={400}
          />
        </label>
        <Button
          type="button"
          onClick={apply}
          disabled={
            pending ||
            !preview ||
            stale ||
            preview.counts.invalid > 0 ||
            preview.counts.new + preview.counts.changed === 0
          }
        >
          Apply import
        </Button>
        {stale ? <span className="text-sm text-amber-800">The text changed: preview again.</span> : null}
      </div>
      {message ? (
        <div
          role={message.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {message.lines.map((l) => (
            <p key={l}>{l}</p>
          ))}
        </div>
      ) : null}
      {preview ? (
        <div className="space-y-2">
          <p className="text-sm" aria-live="polite">
            Preview for {preview.environment}: {preview.counts.new} new, {preview.counts.changed} changed,{" "}
            {preview.counts.unchanged} unchanged, {preview.counts.invalid} invalid.
            {preview.counts.invalid > 0 ? " Fix the invalid lines to import." : ""}
            {preview.counts.warnings > 0
              ? ` ${preview.counts.warnings} line(s) with a warning: check them before you import.`
              : ""}
          </p>
          <Table aria-label="Import preview">
            <THead>
              <TR>
                <TH>Line</TH>
                <TH>Key</TH>
                <TH>Result</TH>
                <TH>Details</TH>
              </TR>
            </THead>
            <TBody>
              {preview.lines.map((l) => (
                <TR key={`${l.line}-${l.key ?? ""}`}>
                  <TD>{l.line}</TD>
                  <TD className="font-mono">{l.key ?? "—"}</TD>
                  <TD>
                    <Badge tone={TONE[l.status]}>{l.status}</Badge>
                  </TD>
                  <TD className="text-gray-600">
                    {l.newVariable && l.status !== "invalid"
                      ? "creates the variable (secret, confidential) "
                      : ""}
                    {l.message ?? ""}
                    {l.warning ? <span className="block text-amber-800">Warning: {l.warning}</span> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}
