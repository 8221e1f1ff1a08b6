/**
 * Classes for every modal `<dialog>` (opened with showModal()): centred in the viewport by `m-auto` (Tailwind's
 * preflight removes the browser's `margin: auto`, which pinned dialogs to the top-left corner), never wider
 * or taller than the screen less a margin (390 px phones included), scrolling inside when taller.
 */
export function modalClass(width: "sm" | "xl" = "xl") {
  return `m-auto w-[calc(100%-2rem)] ${width === "sm" ? "max-w-sm" : "max-w-xl"} max-h-[calc(100dvh-2rem)] overflow-auto rounded-lg p-0 shadow-xl backdrop:bg-gray-900/40`;
}
