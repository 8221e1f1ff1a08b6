import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Dashboard" shape="cards" rows={3} />;
}
