"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { LoginForm } from "./login-form";

const messages: Record<string, string> = {
  CredentialsSignin: "Email or password is not right.",
  rate_limited: "Too many failed attempts. Wait 15 minutes, then try again.",
};

/** Signs in through next-auth's Credentials provider (`credentials`: email, password). */
export function CredentialsLogin({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [email, setEmail] = useState("");
  const action = async (form: FormData) => {
    setError(undefined);
    const typed = String(form.get("email") ?? "");
    setEmail(typed); // the form resets after submit; keep the email, never the password
    const result = await signIn("credentials", {
      email: typed,
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      router.push(callbackUrl);
      router.refresh();
    } else {
      setError(messages[result?.error ?? ""] ?? "Sign-in failed. Try again.");
    }
  };
  return <LoginForm action={action} error={error} email={email} callbackUrl={callbackUrl} />;
}
