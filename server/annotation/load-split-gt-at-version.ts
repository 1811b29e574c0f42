import type { PrismaClient } from "../db/generated/client";
import type { GtRecord } from "../scene-graph/types";
import { graphsAtVersion } from "./graphs-at-version";

/**
 * A split's ground truth at GT version `version` as evaluation records (boxes in original-image
 * pixels), in image-row order, with each record's image row id.
 */
export async function loadSplitGtAtVersion(prisma: PrismaClient, splitId: number, version: number): Promise<{ records: GtRecord[]; rowIds: number[] }> {
  const records: GtRecord[] = [];
  const rowIds: number[] = [];
  for await (const g of graphsAtVersion(prisma, splitId, version)) {
    records.push({ image_id: g.imageId, width: g.width, height: g.height, objects: g.objects, relationships: g.relationships });
    rowIds.push(g.rowId);
  }
  return { records, rowIds };
}
