import { NextResponse } from "next/server";
import { GraphConflictError, GraphValidationError } from "@/server/annotation/graph-errors";

/**
 * The answer for a refused graph write: 409 with the image's current revision for the conflict view,
 * 400 naming every field at fault. Null for any other error.
 */
export function graphErrorResponse(e: unknown): Response | null {
  if (e instanceof GraphConflictError) {
    return NextResponse.json({ error: "conflict", message: e.message, current: e.current }, { status: 409 });
  }
  if (e instanceof GraphValidationError) {
    return NextResponse.json({ error: `invalid ${e.issues.map((i) => i.field).join(", ")}`, fields: e.issues }, { status: 400 });
  }
  return null;
}

/** Runs a graph write, answering its refusals as above. */
export async function graphWrite<T>(write: () => Promise<T>): Promise<T | Response> {
  try {
    return await write();
  } catch (e) {
    const response = graphErrorResponse(e);
    if (response) return response;
    throw e;
  }
}
