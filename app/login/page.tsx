import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import styles from "@/components/auth/auth.module.css";
import { PageHeader } from "@/components/ui/page-header";
import { safeNextPath } from "@/server/auth/safe-next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return (
    <>
      <PageHeader title="Sign in">
        <p>Sign in to start jobs and change data{next ? ", and to return to the page you asked for" : ""}.</p>
      </PageHeader>
      <div className={styles.signIn}>
        <SignInForm next={safeNextPath(next)} />
        <p className={styles.hint}>
          Accounts are made on the server with <code>./bin/sgg user add &lt;name&gt;</code>; the first start writes the <code>admin</code>{" "}
          password to <code>admin-password.txt</code> in the data folder.
        </p>
      </div>
    </>
  );
}
