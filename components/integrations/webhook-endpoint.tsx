import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

const WHERE: Record<string, string> = {
  stripe: "Stripe: Developers → Webhooks → Add endpoint; then save its signing secret below.",
  hubspot:
    "HubSpot: your app's Webhooks settings (target URL); requests are signed with the app's client secret.",
  quickbooks: "QuickBooks: your app's Webhooks settings (endpoint URL); then save its verifier token below.",
};

/** The inbound endpoint of a webhook config, to paste at the provider (read-only, selectable). */
export function WebhookEndpoint({
  url,
  platform,
  id,
  active,
}: {
  url: string;
  platform: string;
  id: string;
  active: boolean;
}) {
  const hint = active
    ? WHERE[platform]
    : `${WHERE[platform]} While inactive it answers 404: make it active below to receive events.`;
  return (
    <Field label="Endpoint URL" htmlFor={`endpoint-${id}`} hint={hint}>
      <Input id={`endpoint-${id}`} value={url} readOnly className="font-mono text-xs" />
    </Field>
  );
}
