import packageJson from "@/package.json";

// Answer from the live process on every request, never from a build-time snapshot.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true, version: packageJson.version });
}
