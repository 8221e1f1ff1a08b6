import type { TextareaHTMLAttributes } from "react";
import { controlClass } from "./input";

export function Textarea({ className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={`${controlClass} ${className}`} {...props} />;
}
