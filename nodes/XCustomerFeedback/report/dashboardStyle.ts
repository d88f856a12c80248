/** The dashboard's stylesheet, inline so the page loads nothing: system fonts, no web fonts. */
import { DETRACTOR, GRID, INK, MUTED, PASSIVE, PROMOTER } from './palette';

export const DASHBOARD_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f4f6f8;color:${INK};font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1120px;margin:0 auto;padding:28px 20px 40px}
header{margin-bottom:20px}
.eyebrow{margin:0 0 4px;color:${MUTED};font-size:13px;font-weight:600;letter-spacing:.06em;text-transform:uppercase}
h1{margin:0 0 6px;font-size:26px;line-height:1.2;overflow-wrap:anywhere}
.meta{margin:0;color:${MUTED};font-size:14px}
.notes{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 0;padding:0;list-style:none}
.notes li{background:#e8eef3;border-radius:999px;padding:4px 12px;font-size:13px;color:#2f3b45;overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px;margin-bottom:12px}
.tile,.card{background:#fff;border:1px solid ${GRID};border-radius:14px;padding:18px 20px}
.tile h2,.card h2{margin:0;font-size:13px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:${MUTED}}
.card h2{margin-bottom:12px}
.value{margin:8px 0 6px;font-size:40px;font-weight:700;line-height:1;font-variant-numeric:tabular-nums}
.value small{font-size:17px;font-weight:500;color:${MUTED};margin-left:2px}
.sub{margin:0;color:#3d4a55;font-size:14px}
.sub + .sub{margin-top:2px}
.caution{color:#a05a00}
.nw{white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px;margin-bottom:12px}
.card.wide{grid-column:1/-1}
svg{display:block;width:100%;height:auto;font-family:inherit}
.gauge{max-width:300px;margin:0 auto}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:12px 0 0;padding:0;list-style:none;font-size:13px;color:#3d4a55}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px}
.sw-promoter{background:${PROMOTER}}.sw-passive{background:${PASSIVE}}.sw-detractor{background:${DETRACTOR}}
.split{margin-top:12px;border-radius:999px;overflow:hidden}
.split svg{height:10px}
details.groups{margin-top:14px}
details.groups summary{cursor:pointer;font-size:14px;font-weight:600;color:#2f3b45;padding:6px 0}
.trend-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:8px 24px}
.trend h3{margin:4px 0 4px;font-size:14px;font-weight:600}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.scroll > svg{min-width:420px}
table{width:100%;border-collapse:collapse;font-size:14px;font-variant-numeric:tabular-nums}
th,td{padding:8px 10px;text-align:right;white-space:nowrap;border-bottom:1px solid ${GRID}}
th{color:${MUTED};font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
th:first-child,td:first-child{text-align:left}
tbody tr:last-child td{border-bottom:0}
.comments{margin:0;padding:0;list-style:none}
.comments li{padding:12px 0;border-bottom:1px solid ${GRID}}
.comments li:last-child{border-bottom:0}
.comments blockquote{margin:0 0 6px;font-size:15px;white-space:pre-wrap;overflow-wrap:anywhere}
.comments .by{margin:0;color:${MUTED};font-size:13px;overflow-wrap:anywhere}
.chip{display:inline-block;min-width:22px;padding:1px 7px;border-radius:999px;color:#fff;font-size:12px;font-weight:700;text-align:center;margin-right:6px}
.empty{color:${MUTED};margin:0}
footer{margin-top:20px;color:${MUTED};font-size:13px}
footer p{margin:4px 0}
@media (max-width:520px){.wrap{padding:18px 12px 28px}h1{font-size:22px}.tiles{grid-template-columns:1fr 1fr;gap:10px}.value{font-size:30px}.tile,.card{padding:14px}.tile .sub{font-size:13px}}
@media print{body{background:#fff}.tile,.card{break-inside:avoid}}
`;
