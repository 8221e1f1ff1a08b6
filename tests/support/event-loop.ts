/**
 * The longest pause a "responsive" event loop may show in these tests. A pattern analysed on the event loop
 * would block it for its whole time limit (seconds); a loaded 2-core machine pauses a free loop for up to a
 * few hundred milliseconds (336 ms seen at load 15), so the bound sits between the two.
 */
export const RESPONSIVE_MS = 750;

/**
 * Watches the event loop as a request would see it: returns `stop()`, which resolves to the longest extra
 * wait (ms) of a 10 ms timer since the watch began. `stop` first waits a little, so a loop blocked until just
 * before it is still seen.
 */
export function watchEventLoop() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(timer);
    return worst;
  };
}
