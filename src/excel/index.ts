/** The Excel adapter: the only code that touches Excel.* (docs/architecture.md). */
export { applyPlan, type ApplyOptions, type ApplyReport } from "./apply";
export { PAYLOAD_LIMIT } from "./batch";
export { DICE_NAME, restoreDice, writeDice, type DiceWrite } from "./dice";
export { isOfficeError, WorkbookError } from "./errors";
export { GRADIENTS_SHEET, gradientName, writeGradients, type GradientsReport } from "./gradients";
export { appendLog, LOG_NAME, type AppendReport } from "./log";
export { META_SHEET, readMeta, type WorkbookMeta } from "./meta";
export { readNamed } from "./named";
export { freeSheetName, renamePlan, renameSheetRefs } from "./rename";
export { API, excelApi, officeRequirements, type RequirementChecker } from "./requirements";
export { ExcelParamStore, officeRun, readParams, RUN_OPTIONS, selectBlock, withRunOptions, writeParams, type ExcelRun } from "./store";
