"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { safeCallbackPath } from "@/lib/safe-callback";
import { LoginForm } from "./login-form";

const errors: Record<string, string> = {
  invalid: "Email or password is not right.",
  CredentialsSignin: "Email or password is not right.",
  rate_limited: "Too many failed attempts from here. Wait a few minutes, then try again.",
  unavailable: "Signing in is not possible right now. Try again in a minute.",
  totp_invalid: "That code is not right, or it was already used. Wait for the next code, then try again.",
};

/**
 * Signs in through next-auth's Credentials provider (`credentials`: email, password, and `totp` for users with
 * two-factor authentication). When the server answers that a code is needed, the form asks for it.
 */
export function CredentialsLogin({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [needsCode, setNeedsCode] = useState(false);
  const [pending, setPending] = useState(false);
  const action = async (form: FormData) => {
    setError(undefined);
    setPending(true);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      totp: String(form.get("totp") ?? ""),
      redirect: false,
    })
      .catch(() => undefined)
      .finally(() => setPending(false));
    if (result?.ok && !result.error) {
      router.push(safeCallbackPath(callbackUrl, [window.location.origin]));
      router.refresh();
      return { keepPassword: true };
    }
    const code = result?.error ?? "";
    const codeStep = code === "totp_required" || code === "totp_invalid";
    if (codeStep) setNeedsCode(true);
    if (code !== "totp_required") setError(errors[code] ?? "Sign-in failed. Try again.");
    return { keepPassword: codeStep };
  };
  return (
    <LoginForm
      action={action}
      error={error}
      needsCode={needsCode}
      pending={pending}
      callbackUrl={callbackUrl}
    />
  );
}
