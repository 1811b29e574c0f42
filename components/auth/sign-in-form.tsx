"use client";
/**
 * The sign-in form: posts the name and password to /api/auth/login and, once the session cookies are
 * set, loads `next` (already checked to be a path on this site) as a fresh page so every part of it,
 * the user menu included, sees the new session.
 */
import { useState, type FormEvent } from "react";
import { apiSend, ApiError } from "@/components/lib/api-client";
import { safeNextPath } from "@/server/auth/safe-next-path";
import styles from "./auth.module.css";

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await apiSend("POST", "/api/auth/login", { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") });
      window.location.assign(safeNextPath(next));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "the server did not answer; try again");
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Sign in">
      <label>
        Username
        <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required maxLength={64} autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
      </label>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className={styles.submit} disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
