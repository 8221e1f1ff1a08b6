import Link from "next/link";
import { type PageWindow, showingWords } from "@/lib/paging";

type Props = {
  /** What the list holds, for the words and the navigation's name ("variables"). */
  noun: string;
  window: PageWindow;
  /** The link to another page of the same list (its filters kept). */
  href: (page: number) => string;
};

const link =
  "rounded-md border border-gray-300 bg-white px-2.5 py-1 font-medium text-indigo-700 hover:bg-gray-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

/** "Showing 101–200 of 1,234 variables", with links to the previous and next pages when there are any. */
export function Pager({ noun, window: w, href }: Props) {
  return (
    <nav aria-label={`Pages of ${noun}`} className="flex flex-wrap items-center gap-3 text-sm">
      <p className="text-gray-700" aria-live="polite">
        {showingWords(w, noun)}
        {w.pages > 1 ? ` (page ${w.page} of ${w.pages})` : ""}
      </p>
      {w.page > 1 ? (
        <Link href={href(w.page - 1)} className={link} rel="prev">
          Previous page
        </Link>
      ) : null}
      {w.page < w.pages ? (
        <Link href={href(w.page + 1)} className={link} rel="next">
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
