import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    // A <div>, not the page's <main>: while the page streams in, both are briefly in the document.
    <div className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <div className="w-full max-w-md rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
        <PageSkeleton title="Invitation" shape="form" rows={2} />
      </div>
    </div>
  );
}
