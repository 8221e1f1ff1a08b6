"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, startTransition, useActionState, useEffect } from "react";

/**
 * useActionState without React's automatic form reset: a refused submit keeps everything the user typed,
 * so fixing one field never means retyping the others.
 */
export function useActionForm<S>(
  action: (state: Awaited<S>, form: FormData) => Promise<S>,
  initial: Awaited<S>,
) {
  const [state, dispatch, pending] = useActionState<S, FormData>(action, initial);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The submitter's name and value count (several submit buttons, e.g. push / adopt / dismiss).
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(form));
  };
  return { state, onSubmit, pending };
}

/** The same, and the page's server components read again once the action succeeded (what it changed shows). */
export function useRefreshingForm<S extends { ok: boolean } | null>(
  action: (state: Awaited<S>, form: FormData) => Promise<S>,
  initial: Awaited<S>,
) {
  const router = useRouter();
  const form = useActionForm<S>(action, initial);
  useEffect(() => {
    if (form.state?.ok) router.refresh();
  }, [form.state, router]);
  return form;
}
