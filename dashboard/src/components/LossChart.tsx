import { useI18n } from "../i18n";

/** Training loss by step as an inline SVG line chart (no chart library). */
export function LossChart({
  points,
  totalSteps,
}: {
  points: { step: number; loss: number }[];
  totalSteps?: number;
}) {
  const { t, number } = useI18n();
  if (points.length === 0) return <p className="muted">{t("training.chartEmpty")}</p>;
  const width = 600;
  const height = 220;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const maxStep = Math.max(totalSteps ?? 0, ...points.map((p) => p.step), 1);
  const losses = points.map((p) => p.loss).filter(Number.isFinite);
  const hi = Math.max(...losses);
  const lo = Math.min(0, ...losses);
  const span = hi - lo || 1;
  const x = (step: number) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (loss: number) => pad.top + (1 - (loss - lo) / span) * (height - pad.top - pad.bottom);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`);
  const ticks = [lo, lo + span / 2, hi];
  const last = points.at(-1)!;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${t("training.chart")}: ${points.length}, ${t("training.loss")} ${number(last.loss, 4)}`}
        data-testid="loss-chart"
        data-points={points.length}
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={pad.left - 6} y={y(tick) + 4} textAnchor="end" className="axis">
              {number(tick, 2)}
            </text>
          </g>
        ))}
        <text x={pad.left} y={height - 8} className="axis">
          0
        </text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" className="axis">
          {maxStep}
        </text>
        <path d={path.join(" ")} className="line" fill="none" />
        {points.length < 60 &&
          points.map((p) => <circle key={p.step} cx={x(p.step)} cy={y(p.loss)} r={2.5} className="dot" />)}
      </svg>
      <figcaption>{t("training.chart")}</figcaption>
    </figure>
  );
}
