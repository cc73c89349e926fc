#!/usr/bin/env python3
"""Plot time and memory against population from `dnscascade bench --format json` output.

    .build/release/dnscascade bench --only scaling --format json > bench.json
    python3 scripts/plot-scaling.py bench.json docs/performance-scaling.svg

Writes a hand-made SVG (no third-party packages): two log-log panels, CPU time and peak resident memory against
client instances, each with a dashed line of slope 1 (perfectly linear cost) through the first point.
"""

import json
import math
import sys

WIDTH, HEIGHT = 860, 380
PANEL_W, PANEL_H = 330, 260
MARGIN_LEFT, MARGIN_TOP = 80, 50


def log_ticks(low, high):
    """Powers of ten covering [low, high]."""
    first = math.floor(math.log10(low))
    last = math.ceil(math.log10(high))
    return [10.0 ** e for e in range(first, last + 1)]


def label(value, unit):
    if unit == "clients":
        for size, suffix in ((1e6, "M"), (1e3, "k")):
            if value >= size:
                return f"{value / size:g}{suffix}"
        return f"{value:g}"
    if value >= 1:
        return f"{value:g}"
    return f"{value:.2g}"


def panel(x0, y0, points, key, title, unit):
    xs = [p["clients"] for p in points]
    ys = [key(p) for p in points]
    x_ticks = log_ticks(min(xs), max(xs))
    y_ticks = log_ticks(min(ys), max(ys))
    lx0, lx1 = math.log10(x_ticks[0]), math.log10(x_ticks[-1])
    ly0, ly1 = math.log10(y_ticks[0]), math.log10(y_ticks[-1])

    def sx(v):
        return x0 + (math.log10(v) - lx0) / (lx1 - lx0) * PANEL_W

    def sy(v):
        return y0 + PANEL_H - (math.log10(v) - ly0) / (ly1 - ly0) * PANEL_H

    out = [f'<text x="{x0 + PANEL_W / 2}" y="{y0 - 14}" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{y0}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#444"/>']
    for t in x_ticks:
        out.append(f'<line x1="{sx(t):.1f}" y1="{y0}" x2="{sx(t):.1f}" y2="{y0 + PANEL_H}" stroke="#ddd"/>')
        out.append(f'<text x="{sx(t):.1f}" y="{y0 + PANEL_H + 18}" text-anchor="middle">{label(t, "clients")}</text>')
    for t in y_ticks:
        out.append(f'<line x1="{x0}" y1="{sy(t):.1f}" x2="{x0 + PANEL_W}" y2="{sy(t):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 8}" y="{sy(t) + 4:.1f}" text-anchor="end">{label(t, unit)}</text>')
    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{y0 + PANEL_H + 40}" text-anchor="middle">client instances</text>')
    out.append(f'<text x="{x0 - 55}" y="{y0 + PANEL_H / 2}" text-anchor="middle" '
               f'transform="rotate(-90 {x0 - 55} {y0 + PANEL_H / 2})">{unit}</text>')
    # slope 1 through the first point: what linear cost looks like
    x_first, y_first = xs[0], ys[0]
    x_end = x_ticks[-1]
    y_end = y_first * x_end / x_first
    if y_end > y_ticks[-1]:
        x_end = x_first * y_ticks[-1] / y_first
        y_end = y_ticks[-1]
    out.append(f'<line x1="{sx(x_first):.1f}" y1="{sy(y_first):.1f}" x2="{sx(x_end):.1f}" y2="{sy(y_end):.1f}" '
               'stroke="#999" stroke-dasharray="5,4"/>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(zip(xs, ys)))
    out.append(f'<path d="{path}" fill="none" stroke="#1f6fb2" stroke-width="2"/>')
    for x, y in zip(xs, ys):
        out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="#1f6fb2"/>')
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        report = json.load(f)
    points = sorted(report.get("scaling", []), key=lambda p: p["clients"])
    if len(points) < 2:
        print("plot-scaling: the report has fewer than two scaling points (run with --only scaling)", file=sys.stderr)
        return 1
    load = report.get("loadAverageStart")
    subtitle = (f"each point a fresh process; 20 virtual minutes, 1 pooled connection per instance aged out every "
                f"5 min; load average {load:.2f} at start" if load is not None else "")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
             f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14">DNSCascade: cost against population '
             f'(dnscascade bench --only scaling)</text>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="#555">{subtitle}; dashed: linear</text>']
    parts += panel(MARGIN_LEFT, MARGIN_TOP, points, lambda p: p["cpuSeconds"], "CPU time", "seconds")
    parts += panel(MARGIN_LEFT + PANEL_W + 110, MARGIN_TOP, points, lambda p: p["maxResidentBytes"] / 1e6,
                   "Peak resident memory", "MB")
    parts.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(parts) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
