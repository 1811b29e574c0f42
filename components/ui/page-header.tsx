import type { ReactNode } from "react";

export interface PageHeaderProps {
  title: string;
  children?: ReactNode;
}

/** The page's one `h1` with an optional lead paragraph under it. */
export function PageHeader({ title, children }: PageHeaderProps) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-lead">{children}</div> : null}
    </header>
  );
}
