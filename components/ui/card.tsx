import type { ReactNode } from "react";

export interface CardProps {
  title: string;
  /** A short tag beside the title, e.g. "Coming soon". */
  badge?: string;
  /** Extra classes, e.g. `card-wide` to span the whole grid row. */
  className?: string;
  children: ReactNode;
}

/** A titled panel; the home page uses one per area of the workbench. */
export function Card({ title, badge, className, children }: CardProps) {
  return (
    <section className={className ? `card ${className}` : "card"} aria-label={title}>
      <header className="card-header">
        <h2 className="card-title">{title}</h2>
        {badge ? <span className="badge">{badge}</span> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
