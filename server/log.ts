import pino, { type DestinationStream, type Logger } from "pino";

/** A structured logger; anything that could carry a secret is redacted by path. To stdout by default. */
export function createLogger(destination?: DestinationStream): Logger {
  const options = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The server's logger. */
export const log = createLogger();
