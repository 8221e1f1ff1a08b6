/**
 * A process killed with -9 cannot tell its children: they are re-parented and keep running. So each process
 * that `npm start` starts watches its parent and stops by itself when the parent is gone (its parent id
 * changes). Polled: Node has no parent-death signal.
 */
export function watchParent(onGone: () => void, everyMs = 250): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
