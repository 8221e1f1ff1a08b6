import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Encryption keys" shape="form" rows={4} />;
}
