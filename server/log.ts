import pino from "pino";

/** Structured logs; anything that could carry a secret is redacted by path. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: {
    paths: [
      "value",
      "*.value",
      "password",
      "*.password",
      "plaintext",
      "*.plaintext",
      "secret",
      "*.secret",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
});
