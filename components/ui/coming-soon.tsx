/** A plain note for a page that is not built yet: what it will do, and no fake content. */
export function ComingSoon({ feature, description }: { feature: string; description: string }) {
  return (
    <div role="status" className="rounded-lg border border-dashed border-gray-300 bg-white p-8">
      <p className="font-medium">{feature} is coming</p>
      <p className="mt-1 text-sm text-gray-600">{description}</p>
    </div>
  );
}
