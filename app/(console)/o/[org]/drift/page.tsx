import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export default async function DriftPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Drift" />
      <ComingSoon
        feature="Drift"
        description="Compare what is deployed with what the console holds, and resolve the difference."
      />
    </div>
  );
}
