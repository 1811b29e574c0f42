"use client";
/**
 * The signed-in name and "Sign out" at the right of the top bar, or a "Sign in" link that returns to
 * the current page. Asks /api/auth/me once per page load (the nav sits outside the query provider).
 */
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { apiSend } from "@/components/lib/api-client";
import styles from "./auth.module.css";

interface Me {
  user: { username: string; role: string } | null;
  publicRead: boolean;
}

export function UserMenu() {
  const [me, setMe] = useState<Me | null>(null);
  const here = usePathname() ?? "/";
  const router = useRouter();

  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/auth/me", { credentials: "same-origin", signal: controller.signal })
      .then(async (r) => (r.ok ? setMe((await r.json()) as Me) : setMe({ user: null, publicRead: true })))
      .catch(() => {});
    return () => controller.abort();
  }, []);

  async function signOut() {
    // A session that already ended answers 401 and clears its cookies; either way this browser is out.
    await apiSend("POST", "/api/auth/logout").catch(() => {});
    window.location.assign(me?.publicRead ? `${window.location.pathname}${window.location.search}` : "/login");
  }

  if (!me) return <div className={styles.menu} aria-busy="true" />;
  if (!me.user) {
    const next = here === "/" || here.startsWith("/login") ? "" : `?next=${encodeURIComponent(here)}`;
    return (
      <div className={styles.menu}>
        <Link
          href={`/login${next}`}
          prefetch={false}
          onClick={(event) => {
            // The link is rendered with the path only; bring the current query along too.
            const full = `${window.location.pathname}${window.location.search}`;
            if (next && full !== here) {
              event.preventDefault();
              router.push(`/login?next=${encodeURIComponent(full)}`);
            }
          }}
        >
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className={styles.menu} data-testid="user-menu">
      <span>
        <span className={styles.name}>{me.user.username}</span> {me.user.role === "admin" ? <span className={styles.role}>(admin)</span> : null}
      </span>
      <button type="button" className={styles.linkButton} onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
