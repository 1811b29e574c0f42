import { NextResponse } from "next/server";
import { z } from "zod";
import { NotFoundError } from "@/server/queries/find-split";
import { AuthError, SessionExpiredError, type Actor } from "@/server/auth/actor";
import { authorizeRequest } from "@/server/auth/authorize-request";
import { crossSiteReason } from "@/server/auth/same-origin";
import { clearedSessionCookies } from "@/server/auth/session-cookies";
import { env } from "@/server/env";

type Handler<P, Q> = (args: { params: P; query: Q; request: Request; actor: Actor | null }) => Promise<unknown>;
type MutationHandler<P, B> = (args: { params: P; body: B; request: Request; actor: Actor }) => Promise<unknown>;
type PublicMutationHandler<B> = (args: { body: B; request: Request }) => Promise<unknown>;

/** A domain rule the request broke (409/422); its message is shown to the user as is. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/** The JSON error answer for anything a handler throws; a 500 hides the details and logs them. */
export function errorResponse(e: unknown): Response {
  if (e instanceof z.ZodError) {
    const fields = e.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
    return NextResponse.json({ error: `invalid ${fields.map((f) => f.field || "request").join(", ")}`, fields }, { status: 400 });
  }
  if (e instanceof AuthError) {
    const response = NextResponse.json({ error: e.message }, { status: e.status });
    // A cookie of an ended session is removed, so the browser stops presenting it and the pages send it to sign-in.
    if (e instanceof SessionExpiredError) {
      for (const cookie of clearedSessionCookies(env().security.secureCookies)) response.headers.append("set-cookie", cookie);
    }
    return response;
  }
  if (e instanceof RequestError) {
    const fields = e.field ? [{ field: e.field, message: e.message }] : [];
    return NextResponse.json({ error: e.message, fields }, { status: e.status });
  }
  if (e instanceof NotFoundError) return NextResponse.json({ error: e.message }, { status: 404 });
  console.error(e);
  return NextResponse.json({ error: "internal error" }, { status: 500 });
}

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
      const actor = await authorizeRequest(request, { mutating: false });
      const rawParams = await ctx.params;
      const params = (schemas.params ? schemas.params.parse(rawParams) : rawParams) as z.infer<P>;
      const search = Object.fromEntries(new URL(request.url).searchParams);
      const query = (schemas.query ? schemas.query.parse(search) : search) as z.infer<Q>;
      const body = await handler({ params, query, request, actor });
      if (body instanceof Response) return body;
      if (body === null || body === undefined) return NextResponse.json({ error: "not found" }, { status: 404 });
      return NextResponse.json(body);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/**
 * Wraps a mutating route (POST/PUT/PATCH/DELETE): an authenticated actor and the CSRF check come first,
 * then the JSON body is validated with zod (a bad field is a 400 naming it). Answers JSON; 201 when
 * `created` is set.
 */
export function mutation<P extends z.ZodType, B extends z.ZodType>(
  schemas: { params?: P; body?: B; created?: boolean },
  handler: MutationHandler<z.infer<P>, z.infer<B>>,
) {
  return async (request: Request, ctx: { params: Promise<Record<string, string>> }) => {
    try {
      const actor = await authorizeRequest(request, { mutating: true });
      if (!actor) throw new AuthError(401, "sign in to do this");
      const rawParams = await ctx.params;
      const params = (schemas.params ? schemas.params.parse(rawParams) : rawParams) as z.infer<P>;
      const raw = await readJson(request);
      if (raw instanceof Response) return raw;
      const body = (schemas.body ? schemas.body.parse(raw) : raw) as z.infer<B>;
      const result = await handler({ params, body, request, actor });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { status: schemas.created ? 201 : 200 });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NextResponse.json({ error: "the request body is not valid JSON" }, { status: 400 });
  }
}

/**
 * A write that needs no actor (signing in): refused when it comes from another site (403), then the
 * JSON body is validated with zod. Answers JSON, never cached.
 */
export function publicMutation<B extends z.ZodType>(schemas: { body: B }, handler: PublicMutationHandler<z.infer<B>>) {
  return async (request: Request) => {
    try {
      const crossSite = crossSiteReason(request);
      if (crossSite) throw new AuthError(403, `refused a cross-site request: ${crossSite}`);
      const raw = await readJson(request);
      if (raw instanceof Response) return raw;
      const body = schemas.body.parse(raw) as z.infer<B>;
      const result = await handler({ body, request });
      const response = result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
      response.headers.set("cache-control", "no-store");
      return response;
    } catch (e) {
      return errorResponse(e);
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
