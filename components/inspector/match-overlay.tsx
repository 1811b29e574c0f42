import type { InspectionResult } from "./inspector-types";
import styles from "./inspector.module.css";

const center = (b: readonly number[]) => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2] as const;

/** Ground truth (dashed), predictions (solid) and a line per Hungarian pair labelled with its cost. */
export function MatchOverlay({ width, height, result }: { width: number; height: number; result: InspectionResult | undefined }) {
  const s = Math.max(1.5, width / 350);
  const font = Math.max(10, width / 48);
  return (
    <svg className={styles.overlay} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" data-testid="match-overlay">
      {result?.gt.map((g, i) => (
        <g key={`g${i}`}>
          <rect x={g.box[0]} y={g.box[1]} width={g.box[2] - g.box[0]} height={g.box[3] - g.box[1]} className={styles.gtBox} strokeWidth={s} />
          <text x={g.box[0] + s * 2} y={g.box[3] - s * 3} fontSize={font} className={styles.gtLabel}>
            {g.id}
          </text>
        </g>
      ))}
      {result?.pred.map((p, i) => (
        <g key={`p${i}`}>
          <rect x={p.box[0]} y={p.box[1]} width={Math.max(0, p.box[2] - p.box[0])} height={Math.max(0, p.box[3] - p.box[1])} className={styles.predBox} strokeWidth={s} />
          <text x={p.box[0] + s * 2} y={p.box[1] + font} fontSize={font} className={styles.predLabel}>
            {p.id}
          </text>
        </g>
      ))}
      {result?.matches.map((m, i) => {
        const p = result.pred[m.pred];
        const g = result.gt[m.gt];
        if (!p || !g) return null;
        const [x1, y1] = center(p.box);
        const [x2, y2] = center(g.box);
        return (
          <g key={`m${i}`} data-testid="match-line">
            <line x1={x1} y1={y1} x2={x2} y2={y2} className={styles.matchLine} strokeWidth={s} />
            <circle cx={x1} cy={y1} r={s * 2} className={styles.predDot} />
            <circle cx={x2} cy={y2} r={s * 2} className={styles.gtDot} />
            <text x={(x1 + x2) / 2 + s * 2} y={(y1 + y2) / 2} fontSize={font * 0.85} className={styles.costLabel}>
              {m.cost.toFixed(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
