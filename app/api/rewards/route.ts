import { NextResponse } from "next/server";
import { z } from "zod";
import { route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { COMPAT_FLAGS, type CompatFlag } from "@/server/scene-graph/types";
import { inspectCompletion } from "./_lib/inspect-completion";

const finite = z.number().refine(Number.isFinite, "expected a finite number");

const bodySchema = z.object({
  imageId: z.number().int().positive(),
  completion: z.string().max(1_000_000),
  boxScale: z.tuple([finite.positive(), finite.positive()]).optional(),
  strictFormat: z.boolean().optional(),
  compat: z.array(z.enum(COMPAT_FLAGS as unknown as [CompatFlag, ...CompatFlag[]])).optional(),
});

/** Every reward of one completion against an image's ground truth, with the parse and the node matching. */
export const POST = route({}, async ({ request }) => {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return NextResponse.json({ error: "body is not JSON" }, { status: 400 });
  }
  const body = bodySchema.parse(raw);
  return inspectCompletion(getPrisma(), body);
});
