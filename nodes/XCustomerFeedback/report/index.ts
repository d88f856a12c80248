/** The report module's public face: stream events in, take figures, a CSV and a dashboard out. */
export { createReport, type GroupFigures, type ReportAccumulator, type ReportFigures, type ReportOptions } from './accumulator';
export type { ActivityFigures, CsatFigures, Figures, NpsFigures, ScoreCount } from './figures';
export type { CommentSample } from './latestComments';
export type { GroupBy } from './periodGroups';
export type { ReportRow } from './rows';
export type { Scope, ScopeOptions } from './scope';
export { CSV_HEADER, toCsv, type CsvOptions } from './csv';
export { renderDashboard, type DashboardOptions } from './dashboard';
