import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export default async function ApprovalsPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Approvals" />
      <ComingSoon
        feature="Approvals"
        description="Four-eyes review of high-risk changes, with masked before and after."
      />
    </div>
  );
}
