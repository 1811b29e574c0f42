import { InvalidArgumentError } from "commander";
import { COMPAT_FLAGS, type CompatFlag } from "../server/scene-graph/types";

/** Parses `--compat a,b` into known compatibility flags, rejecting unknown names. */
export function parseCompat(value: string): CompatFlag[] {
  const flags = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const f of flags) {
    if (!(COMPAT_FLAGS as readonly string[]).includes(f)) {
      throw new InvalidArgumentError(`unknown flag "${f}" (known: ${COMPAT_FLAGS.join(", ")})`);
    }
  }
  return flags as CompatFlag[];
}
