import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";

type Props = { label: string; htmlFor: string; error?: string[]; hint?: string; children: ReactNode };

/** A labelled control with its hint and server-side errors, linked for assistive technology. */
export function Field({ label, htmlFor, error, hint, children }: Props) {
  const hintId = hint ? `${htmlFor}-hint` : undefined;
  const errorId = error?.length ? `${htmlFor}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control = Children.map(children, (child) =>
    isValidElement(child)
      ? cloneElement(child as ReactElement<Record<string, unknown>>, {
          "aria-describedby": describedBy,
          "aria-invalid": errorId ? true : undefined,
        })
      : child,
  );
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium text-gray-800">
        {label}
      </label>
      {control}
      {hint ? (
        <p id={hintId} className="text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <ul id={errorId} role="alert" className="text-xs text-red-700">
          {error?.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
