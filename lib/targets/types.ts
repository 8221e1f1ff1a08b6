/** Name → deployed hash (HMAC under the target's secret; see lib/sync-protocol). */
export type DeployedState = Map<string, string>;

export type TargetChange = { set: Record<string, string>; delete: string[] };

/** What the console needs from a deployment target: read hashes, adopt values, apply a change atomically. */
export interface TargetDriver {
  /** What is deployed now: every key with its deployed hash. */
  state(): Promise<DeployedState>;
  /** The deployed values of some keys (those that exist), to adopt them into the console. */
  values(names: string[]): Promise<Map<string, string>>;
  /** Sets and deletes keys in one atomic step; returns the state afterwards. */
  apply(change: TargetChange): Promise<DeployedState>;
}

export type TargetErrorCode = "unreachable" | "timeout" | "unauthorized" | "bad_response" | "refused" | "io";

/** A failure talking to a target; `message` is safe to show and store (never contains a value or the secret). */
export class TargetError extends Error {
  constructor(
    readonly code: TargetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TargetError";
  }
}
