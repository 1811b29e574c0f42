import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "@/components/auth/user-menu";
import { QueryProvider } from "@/components/providers/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "SGG Workbench", template: "%s · SGG Workbench" },
  description: "Evaluate, inspect, train and compare scene-graph generation with multimodal LLMs.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <nav className="top-bar">
          <Link href="/" className="brand">
            {/* Plain img: a static SVG needs none of next/image's resizing. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src="/favicon.svg" alt="" width={22} height={22} />
            SGG Workbench
          </Link>
          <div className="nav-links">
            <Link href="/datasets" prefetch={false}>Datasets</Link>
            <Link href="/predict" prefetch={false}>Predict</Link>
            <Link href="/evaluations" prefetch={false}>Evaluations</Link>
            <Link href="/compare" prefetch={false}>Compare</Link>
            <Link href="/inspector" prefetch={false}>Reward inspector</Link>
            <Link href="/runs" prefetch={false}>Runs</Link>
            <Link href="/jobs" prefetch={false}>Jobs</Link>
          </div>
          <UserMenu />
        </nav>
        <QueryProvider>
          <main className="container">{children}</main>
        </QueryProvider>
      </body>
    </html>
  );
}
