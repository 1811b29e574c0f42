import type { DrawBox } from "@/server/queries/list-rollouts";
import styles from "./run-charts.module.css";

export const BOX_COLOURS = ["#22c55e", "#3b82f6", "#eab308", "#a855f7", "#06b6d4", "#f97316", "#84cc16", "#6366f1", "#14b8a6", "#d946ef", "#0ea5e9", "#facc15"];

/**
 * The image with boxes drawn over it as SVG in the image's own pixel space: ground truth dashed white,
 * the completion's boxes in colours; labels when `labels` is on. A grey field of the right shape stands
 * in when the image bytes are not stored.
 */
export function BoxPicture({
  src,
  width,
  height,
  gt,
  pred,
  labels,
  alt,
}: {
  src: string | null;
  width: number;
  height: number;
  gt: readonly { id: string; box: DrawBox }[];
  pred: readonly { id: string; box: DrawBox }[];
  labels: boolean;
  alt: string;
}) {
  const font = Math.max(10, Math.round(Math.max(width, height) / 40));
  return (
    <div className={styles.picture} style={src ? undefined : { aspectRatio: `${width} / ${height}` }}>
      {/* Plain img: the overlay is drawn in the image's pixel space and needs its natural aspect. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {src ? <img src={src} alt={alt} decoding="async" /> : null}
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
        {gt.map((g, i) => (
          <rect key={`g${i}`} className={styles.gtBox} data-box="gt" x={g.box[0]} y={g.box[1]} width={Math.max(0, g.box[2] - g.box[0])} height={Math.max(0, g.box[3] - g.box[1])} />
        ))}
        {pred.map((p, i) => {
          const colour = BOX_COLOURS[i % BOX_COLOURS.length]!;
          const x = Math.min(p.box[0], p.box[2]);
          const y = Math.min(p.box[1], p.box[3]);
          return (
            <g key={`p${i}`} data-box="pred">
              <rect className={styles.predBox} stroke={colour} x={x} y={y} width={Math.abs(p.box[2] - p.box[0])} height={Math.abs(p.box[3] - p.box[1])} />
              {labels ? (
                <text className={styles.boxLabel} x={x + 3} y={y + font} fontSize={font} fill={colour}>
                  {p.id}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
