import type { Actor } from "../auth/actor";

/** How a revision or review names who made it. */
export function authorOf(actor: Actor): { authorId: number | null; authorName: string } {
  return actor.kind === "user" ? { authorId: actor.userId, authorName: actor.username } : { authorId: null, authorName: "admin token" };
}
