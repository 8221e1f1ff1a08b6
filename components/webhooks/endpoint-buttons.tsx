"use client";

import { ActionButton } from "@/components/forms/action-button";
import { replayDeliveryAction, sendTestEventAction, setWebhookActiveAction } from "@/server/actions/webhooks";

/** Sends a test event to an endpoint now. */
export function TestEventButton({ org, id, url }: { org: string; id: string; url: string }) {
  return (
    <ActionButton
      action={sendTestEventAction.bind(null, org)}
      fields={{ id }}
      label="Send test event"
      ariaLabel={`Send test event to ${url}`}
    />
  );
}

/** Turns an endpoint off or on. */
export function ActiveButton({
  org,
  id,
  url,
  active,
}: {
  org: string;
  id: string;
  url: string;
  active: boolean;
}) {
  return (
    <ActionButton
      action={setWebhookActiveAction.bind(null, org)}
      fields={{ id, active: active ? "off" : "on" }}
      label={active ? "Disable" : "Enable"}
      ariaLabel={`${active ? "Disable" : "Enable"} ${url}`}
    />
  );
}

/** Sends a delivery's event again (the same webhook-id). */
export function ReplayButton({ org, deliveryId, what }: { org: string; deliveryId: string; what: string }) {
  return (
    <ActionButton
      action={replayDeliveryAction.bind(null, org)}
      fields={{ deliveryId }}
      label="Replay"
      ariaLabel={`Replay ${what}`}
    />
  );
}
