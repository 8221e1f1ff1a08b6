export function LoginCard({ children }: { children: React.ReactNode }) {
  return (
    <div className="w-full max-w-sm rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold tracking-tight">Ringbearer</h1>
      <p className="mb-6 mt-1 text-sm text-gray-600">Sign in to manage environment variables and secrets.</p>
      {children}
    </div>
  );
}
