/**
 * Page gate (Next 16's proxy, Node.js runtime): with SGG_PUBLIC_READ off, a page request without a
 * live session goes to /login?next=…. API routes check for themselves (app/api/_lib/route.ts), and so
 * are not matched here, nor are the sign-in page and static files.
 */
import { NextResponse, type NextRequest } from "next/server";
import { pageAccess } from "@/server/auth/page-access";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const access = await pageAccess(request);
  if (access.allow) return NextResponse.next();
  const response = NextResponse.redirect(new URL(access.redirectTo, request.nextUrl));
  for (const cookie of access.setCookies) response.headers.append("set-cookie", cookie);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/|login(?:/|$)|favicon\\.svg$|robots\\.txt$).*)"],
};
