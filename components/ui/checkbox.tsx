import type { InputHTMLAttributes } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: string };

export function Checkbox({ label, id, name, ...props }: Props) {
  const inputId = id ?? `checkbox-${name}`;
  return (
    <label htmlFor={inputId} className="inline-flex items-center gap-2 text-sm">
      <input
        id={inputId}
        name={name}
        type="checkbox"
        className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
        {...props}
      />
      {label}
    </label>
  );
}
