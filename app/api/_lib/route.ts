import { NextResponse } from "next/server";
import { z } from "zod";
import { NotFoundError } from "@/server/queries/find-split";

type Handler<P, Q> = (args: { params: P; query: Q; request: Request }) => Promise<unknown>;

/**
 * Wraps a route handler: validates path params and search params with zod (a bad field is a 400 that
 * names it), maps `NotFoundError` to 404, and answers JSON. Handlers stay thin: they call `server/`.
 */
export function route<P extends z.ZodType, Q extends z.ZodType>(
  schemas: { params?: P; query?: Q },
  handler: Handler<z.infer<P>, z.infer<Q>>,
) {
  return async (request: Request, ctx: { params: Promise<Record<string, string>> }) => {
    try {
      const rawParams = await ctx.params;
      const params = (schemas.params ? schemas.params.parse(rawParams) : rawParams) as z.infer<P>;
      const search = Object.fromEntries(new URL(request.url).searchParams);
      const query = (schemas.query ? schemas.query.parse(search) : search) as z.infer<Q>;
      const body = await handler({ params, query, request });
      if (body instanceof Response) return body;
      if (body === null || body === undefined) return NextResponse.json({ error: "not found" }, { status: 404 });
      return NextResponse.json(body);
    } catch (e) {
      if (e instanceof z.ZodError) {
        const fields = e.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
        return NextResponse.json({ error: `invalid ${fields.map((f) => f.field || "request").join(", ")}`, fields }, { status: 400 });
      }
      if (e instanceof NotFoundError) return NextResponse.json({ error: e.message }, { status: 404 });
      console.error(e);
      return NextResponse.json({ error: "internal error" }, { status: 500 });
    }
  };
}

/** Search-param helpers: URLs carry strings, the domain wants numbers and booleans. */
export const qs = {
  int: z.coerce.number().int(),
  optInt: z.coerce.number().int().optional(),
  optNum: z.coerce.number().optional(),
  optBool: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  intList: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").filter(Boolean).map(Number) : []))
    .pipe(z.array(z.number().int().positive())),
};
