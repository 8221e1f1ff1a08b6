import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Compare and promote" shape="table" rows={8} />;
}
