import Link from "next/link";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-gray-600">It does not exist, or you cannot see it.</p>
      <Link href="/" className="mt-4 inline-block text-sm text-indigo-700 hover:underline">
        Back to the console
      </Link>
    </main>
  );
}
