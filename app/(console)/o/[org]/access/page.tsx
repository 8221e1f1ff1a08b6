import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export default async function AccessPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Access" />
      <ComingSoon
        feature="Access"
        description="Grant, review and revoke access policies and memberships, and see who can do what where."
      />
    </div>
  );
}
