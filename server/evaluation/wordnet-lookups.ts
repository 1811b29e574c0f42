import { env } from "../env";
import type { WordnetDb } from "../scene-graph/wordnet-map";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { createWordnetMapper, loadWordnet } from "../wordnet/load-wordnet";

type Lookups = { wordnetClass: (x: string) => string | undefined; wordnetPredicate: (x: string) => string | undefined };

const dbs = new Map<string, Promise<WordnetDb>>();
const mappers = new Map<string, Lookups>();

/**
 * WordNet lookups toward a dataset's classes and predicates. Each database (the configured folder, or
 * `dir`) loads once per process and each mapper keeps its cache across evaluations.
 */
export async function wordnetLookups(type: DatasetType, dir: string | undefined = env().sceneGraph.wordnetDir): Promise<Lookups> {
  const key = dir ?? "";
  let db = dbs.get(key);
  if (!db) dbs.set(key, (db = loadWordnet({ dir })));
  const loaded = await db;
  let m = mappers.get(`${key}\u0000${type}`);
  if (!m) {
    const v = getVocabulary(type);
    m = { wordnetClass: createWordnetMapper(loaded, v.classSet), wordnetPredicate: createWordnetMapper(loaded, v.predicateSet) };
    mappers.set(`${key}\u0000${type}`, m);
  }
  return m;
}
