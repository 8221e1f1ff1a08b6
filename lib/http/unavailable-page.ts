/**
 * The page a signed-in console user gets (503) while the database does not answer: it says so, keeps them
 * signed in, and reloads itself every few seconds until the console answers again. Plain HTML with no script
 * (a meta refresh), so it works whatever failed; its one style element carries the request's CSP nonce.
 */
export const UNAVAILABLE_RETRY_SECONDS = 5;

export function databaseUnavailablePage(nonce: string | undefined): string {
  const n = nonce ? ` nonce="${nonce.replace(/[^A-Za-z0-9+/=]/g, "")}"` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${UNAVAILABLE_RETRY_SECONDS}">
<title>Database unavailable — Ringbearer</title>
<style${n}>
body{font-family:system-ui,sans-serif;margin:0;background:#f9fafb;color:#111827}
main{max-width:32rem;margin:4rem auto;padding:1.5rem;background:#fff;border:1px solid #fde68a;border-radius:.5rem}
h1{font-size:1.125rem;margin:0 0 .5rem}
p{font-size:.875rem;color:#374151;line-height:1.5}
</style>
</head>
<body>
<main>
<h1>Database unavailable — retrying</h1>
<p>Ringbearer cannot reach its database right now. You are still signed in and nothing was changed.</p>
<p>This page tries again every ${UNAVAILABLE_RETRY_SECONDS} seconds and shows the console as soon as the database answers.</p>
</main>
</body>
</html>
`;
}
