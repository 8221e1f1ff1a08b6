/** The mask shown for every value: fixed length, never derived from the value. */
export const maskedValue = (): string => "••••••••";

export const shortHash = (hash: string | null): string => (hash ? hash.slice(0, 8) : "—");
