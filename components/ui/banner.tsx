const tones = {
  info: "border-indigo-200 bg-indigo-50 text-indigo-900",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
  danger: "border-red-300 bg-red-50 text-red-900",
} as const;

export function Banner({
  tone = "info",
  children,
}: {
  tone?: keyof typeof tones;
  children: React.ReactNode;
}) {
  return (
    <div
      role={tone === "danger" ? "alert" : "status"}
      className={`border-b px-4 py-3 text-sm md:px-6 ${tones[tone]}`}
    >
      {children}
    </div>
  );
}
