import type { Inspection, InspectorImage } from "@/app/api/rewards/_lib/inspect-completion";

/** What `POST /api/rewards` answers. */
export type InspectionResult = Inspection;
export type { InspectorImage };
