import type { ParseFailureKind } from "@/server/scene-graph/parse-graph";

/** Plain words for the parser's failure kinds, the same on every page. */
export const PARSE_FAILURE_LABEL: Record<ParseFailureKind, string> = {
  no_answer: "No answer text",
  truncated: "Truncated",
  invalid_json: "Invalid JSON",
  non_finite: "Non-finite number",
  not_an_object: "Not an object",
  missing_key: "Missing key",
  wrong_type: "Wrong type",
  bad_box: "Bad box",
};
