import type { PrismaClient } from "../db/generated/client";
import { cat } from "../scene-graph/text";
import { graphsAtVersion } from "../annotation/graphs-at-version";

/** One image's graph as compared across a round trip: sizes, picture, objects with boxes, relations. */
export interface ComparableGraph {
  readonly width: number;
  readonly height: number;
  readonly storageKey: string | null;
  readonly objects: { id: string; bbox: number[] }[];
  readonly relationships: string[];
}

/**
 * A split's graphs by image id at GT version `version` (default: the newest), for round-trip tests. With `renameObjects`, object ids become
 * `<label>.<k>` by position, the names the VG150 readers give, and relations follow them.
 */
export async function comparableGraphs(prisma: PrismaClient, splitId: number, renameObjects = false, version?: number): Promise<Map<string, ComparableGraph>> {
  const keys = new Map((await prisma.image.findMany({ where: { splitId }, select: { imageKey: true, storageKey: true } })).map((r) => [r.imageKey, r.storageKey]));
  const out = new Map<string, ComparableGraph>();
  const { gtVersion } = await prisma.split.findUniqueOrThrow({ where: { id: splitId }, select: { gtVersion: true } });
  for await (const r of graphsAtVersion(prisma, splitId, version ?? gtVersion)) {
    const rename = new Map<string, string>();
    r.objects.forEach((o, k) => {
      if (!rename.has(o.id)) rename.set(o.id, renameObjects ? `${cat(o.id)}.${k + 1}` : o.id);
    });
    out.set(r.imageId, {
      width: r.width,
      height: r.height,
      storageKey: keys.get(r.imageId) ?? null,
      objects: r.objects.map((o, k) => ({ id: renameObjects ? `${cat(o.id)}.${k + 1}` : o.id, bbox: [...o.bbox] })),
      relationships: r.relationships.map((x) => `${rename.get(x.subject)}|${x.predicate}|${rename.get(x.object)}`),
    });
  }
  return out;
}
