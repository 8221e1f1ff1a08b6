import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Webhooks" shape="sections" rows={4} />;
}
