import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="CLI login" shape="sections" rows={3} />;
}
