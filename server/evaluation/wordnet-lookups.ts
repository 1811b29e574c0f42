import { env } from "../env";
import type { WordnetDb } from "../scene-graph/wordnet-map";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { createWordnetMapper, loadWordnet } from "../wordnet/load-wordnet";

let db: Promise<WordnetDb> | undefined;
const mappers = new Map<DatasetType, { wordnetClass: (x: string) => string | undefined; wordnetPredicate: (x: string) => string | undefined }>();

/** WordNet lookups toward a dataset's classes and predicates; the database loads once per process. */
export async function wordnetLookups(type: DatasetType) {
  db ??= loadWordnet({ dir: env().sceneGraph.wordnetDir });
  const loaded = await db;
  let m = mappers.get(type);
  if (!m) {
    const v = getVocabulary(type);
    m = { wordnetClass: createWordnetMapper(loaded, v.classSet), wordnetPredicate: createWordnetMapper(loaded, v.predicateSet) };
    mappers.set(type, m);
  }
  return m;
}
