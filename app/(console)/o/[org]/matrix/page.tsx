import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export default async function MatrixPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Matrix" />
      <ComingSoon
        feature="Matrix"
        description="Compare every variable across every environment, find what is missing or different, and promote."
      />
    </div>
  );
}
