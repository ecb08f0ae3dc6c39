// The building blocks of clue's pages, one per file under components/; import them from here.
export { badge, type BadgeKind } from "./components/badge.js";
export { figure, type FigureOptions } from "./components/figure.js";
export {
  differingFields,
  recordCompare,
  type CompareSide,
  type RecordCompareOptions,
} from "./components/record-compare.js";
export { section, toc, type SectionOptions } from "./components/section.js";
export { statGrid, type Stat } from "./components/stat-grid.js";
export { table, type Align, type Column, type TableOptions } from "./components/table.js";
export { waterfall, type WaterfallOptions } from "./components/waterfall.js";
