/**
 * What `npm run workbook` and `npm run train` print (src/cli): usage, usage
 * errors, progress and the report, in each language. A table of its own,
 * beside the main ones (en.ts, es.ts), so that the pane's and the functions'
 * bundles, which never print these, do not carry them.
 */
import { language, type Lang } from "./index";

/** The facts the CLIs' usage texts quote (src/cli/args.ts, workbook-args.ts). */
interface TrainUsage {
  presets: string;
  preset: string;
  tasks: string;
  seed: number;
  layers: number;
  langs: string;
}

interface WorkbookUsage extends TrainUsage {
  prompt: number;
  steps: string;
  out: string;
}

const cliEn = {
  unexpected: (token: string) => `unexpected argument "${token}"; options start with --`,
  unknownOption: (name: string) => `unknown option --${name}`,
  twice: (name: string) => `--${name} is given more than once`,
  noValue: (name: string) => `--${name} takes no value`,
  needsValue: (name: string) => `--${name} needs a value`,
  whole: (flag: string, lo: number, hi: number, text: string) => `--${flag} should be a whole number from ${lo} to ${hi}, got "${text}"`,
  positive: (flag: string, text: string) => `--${flag} should be a number above 0, got "${text}"`,
  preset: (name: string, names: string) => `unknown preset "${name}"; the presets are ${names}`,
  task: (name: string, names: string) => `unknown task "${name}"; the tasks are ${names}`,
  optimizer: (kind: string) => `--optimizer should be adam or sgd, got "${kind}"`,
  xlsx: (out: string) => `--out should name an .xlsx file, got "${out}"`,
  lang: (langs: string, got: string) => `--lang should be one of ${langs}, got "${got}"`,
  noWords: "--sentence has no words",
  marker: (i: number, w: string) => `--sentence word ${i} is "${w}", a marker the model adds itself; type words only`,
  unknownWord: (w: string, i: number, task: string, shown: string) =>
    `"${w}" (word ${i} of --sentence) is not in the vocabulary of the ${task} task; its words: ${shown}`,
  tooLong: (n: number, preset: string, task: string, room: number) =>
    `--sentence has ${n} words but the ${preset} preset on ${task} takes at most ${room}`,
  error: (message: string) => `error: ${message}`,
  // destination.ts
  linkLoop: (file: string) => `--out: ${file} is a loop of symbolic links`,
  noFolder: (dir: string) => `--out: the folder ${dir} does not exist`,
  isFolder: (target: string) => `--out: ${target} is a folder, not a file`,
  notFile: (target: string) => `--out: ${target} is not a regular file`,
  readOnly: (target: string, mode: string) =>
    `--out: ${target} is read-only (mode ${mode}); make it writable (chmod u+w) or choose another --out`,
  notYours: (target: string, mode: string) => `--out: ${target} is not yours to write (mode ${mode}); choose another --out`,
  cannotCreate: (target: string, dir: string, why: string) =>
    `--out: cannot write ${target}: the folder ${dir} does not let you create files (${why})`,
  couldNotWrite: (file: string, why: string) => `could not write ${file}: ${why}`,
  errno: {
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is used up",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOENT: "the folder no longer exists",
  } as Record<string, string>,
  // workbook.ts
  wrote: (replaced: boolean, target: string, link: string | undefined) =>
    `${replaced ? "replaced" : "wrote"} ${target}${link === undefined ? "" : ` (through the link ${link})`}`,
  contents: (sheets: number, names: string, formulas: number, ranges: number, seconds: string) =>
    `  ${sheets} sheets (${names}), ${formulas} formulas, ${ranges} named ranges; ${seconds} s`,
  openWith: (file: string) => [
    "open it with:",
    "  Excel: File > Open (it recalculates on load)",
    `  LibreOffice: libreoffice --calc "${file}"`,
    "  Google Sheets: File > Import > Upload",
  ],
  trainingFor: (preset: string, task: string, steps: number, examples: number) =>
    `training the ${preset} preset on ${task} for ${steps} steps (${examples} examples)…`,
  workbookStep: (done: number, total: number, loss: string, accuracy: string) =>
    `  step ${done}/${total}  loss ${loss}  token accuracy ${accuracy}%`,
  // train.ts
  training: (preset: string, task: string, examples: number, parameters: number) =>
    `training the ${preset} preset on ${task}: ${examples} training examples, ${parameters} parameters`,
  setup: (kind: string, lr: number, seed: number, batch: number | undefined, steps: number) =>
    `${kind}, lr ${lr}, seed ${seed}, ${batch ? `batches of ${batch}` : "full batch"}, ${steps} steps`,
  trainStep: (done: string, total: number, loss: string, accuracy: string, rate: string) =>
    `step ${done}/${total}  loss ${loss}  token accuracy ${accuracy}  ${rate} steps/s`,
  stopped: (steps: number) => `stopped by Ctrl+C after ${steps} steps`,
  trainingSet: (loss: string, accuracy: string) => `training set: loss ${loss}, token accuracy ${accuracy}`,
  heldOut: (task: string | undefined) =>
    task === undefined ? "held-out" : `held-out (the ${task} task holds none out: its training data)`,
  heldOutLine: (label: string, loss: string, accuracy: string, tokens: number, examples: number) =>
    `${label}: loss ${loss}, token accuracy ${accuracy} (${tokens} tokens, ${examples} examples)`,
  exact: (what: string, share: string, matches: number | undefined, examples: number) =>
    `${what}, exact match: ${share} (${matches}/${examples})`,
  time: (seconds: string, rate: string) => `time: ${seconds} s (${rate} steps/s)`,
  trainUsage: (u: TrainUsage) =>
    `usage: npm run train -- [options]

Trains a preset's model on a task headless and reports held-out loss and
token accuracy (and greedy exact match for the encoder-decoder, greedy
continuation of every prompt for gpt).

options:
  --preset NAME       ${u.presets} (default ${u.preset})
  --task NAME         ${u.tasks} (default: the preset's task)
  --steps N           training steps (default: the preset's)
  --optimizer KIND    adam | sgd (default: the preset's)
  --lr X              learning rate, above 0 (default: the preset's)
  --seed N            seed of the initial weights and batch order (default ${u.seed})
  --batch-size N      examples per step (default: the whole training set)
  --layers N          layers per stack, 1 to ${u.layers} (default 1)
  --json              one JSON object per line: progress lines, then a result
  --lang LANG         ${u.langs}: the language of the messages (default en); --json is the same in every language
  --help              this text`,
  workbookUsage: (u: WorkbookUsage) =>
    `usage: npm run workbook -- [options]

Trains a preset's model and writes it as an .xlsx workbook of plain
formulas that opens in Excel, LibreOffice and Google Sheets.

options:
  --preset NAME       ${u.presets} (default ${u.preset})
  --task NAME         ${u.tasks} (default: the preset's task)
  --sentence "..."    the sentence on the Overview sheet, made of the task's words
                      (default: the first training example); for gpt, the prompt
                      the model continues (default: the first text's first ${u.prompt} words)
  --layers N          layers per stack, 1 to ${u.layers} (default 1): N encoder layers,
                      and N decoder layers for encoder-decoder and gpt
  --train-steps N     training steps before writing, 0 for untrained weights
                      (default: ${u.steps})
  --seed N            seed of the data, initial weights and batch order (default ${u.seed})
  --dice-seed N       gpt: seed of the Dice cells that sampling draws with (default: --seed)
  --out FILE          the .xlsx file to write (default ${u.out}); an existing file
                      is replaced and keeps its mode, a link's target is written,
                      a read-only file is refused
  --lang LANG         ${u.langs}: the language of the Guide, the block titles, the
                      notes and these messages (default en); sheet names, range names
                      and numbers stay the same
  --help              this text`,
};

/** The shape every language's CLI table has: the English one's keys. */
export type CliStrings = typeof cliEn;

const cliEs: CliStrings = {
  unexpected: (token: string) => `argumento inesperado "${token}"; las opciones empiezan por --`,
  unknownOption: (name: string) => `la opción --${name} no existe`,
  twice: (name: string) => `--${name} aparece más de una vez`,
  noValue: (name: string) => `--${name} no lleva valor`,
  needsValue: (name: string) => `--${name} necesita un valor`,
  whole: (flag: string, lo: number, hi: number, text: string) =>
    `--${flag} debería ser un número entero de ${lo} a ${hi}, pero es "${text}"`,
  positive: (flag: string, text: string) => `--${flag} debería ser un número mayor que 0, pero es "${text}"`,
  preset: (name: string, names: string) => `la configuración "${name}" no existe; las configuraciones son ${names}`,
  task: (name: string, names: string) => `la tarea "${name}" no existe; las tareas son ${names}`,
  optimizer: (kind: string) => `--optimizer debería ser adam o sgd, pero es "${kind}"`,
  xlsx: (out: string) => `--out debería nombrar un archivo .xlsx, pero es "${out}"`,
  lang: (langs: string, got: string) => `--lang debería ser uno de ${langs}, pero es "${got}"`,
  noWords: "--sentence no tiene palabras",
  marker: (i: number, w: string) =>
    `la palabra ${i} de --sentence es "${w}", una marca que el modelo añade por sí mismo; escribe solo palabras`,
  unknownWord: (w: string, i: number, task: string, shown: string) =>
    `"${w}" (palabra ${i} de --sentence) no está en el vocabulario de la tarea ${task}; sus palabras: ${shown}`,
  tooLong: (n: number, preset: string, task: string, room: number) =>
    `--sentence tiene ${n} palabras, pero la configuración ${preset} con ${task} admite como mucho ${room}`,
  error: (message: string) => `error: ${message}`,
  linkLoop: (file: string) => `--out: ${file} es un bucle de enlaces simbólicos`,
  noFolder: (dir: string) => `--out: la carpeta ${dir} no existe`,
  isFolder: (target: string) => `--out: ${target} es una carpeta, no un archivo`,
  notFile: (target: string) => `--out: ${target} no es un archivo normal`,
  readOnly: (target: string, mode: string) =>
    `--out: ${target} es de solo lectura (modo ${mode}); dale permiso de escritura (chmod u+w) o elige otro --out`,
  notYours: (target: string, mode: string) => `--out: no tienes permiso para escribir ${target} (modo ${mode}); elige otro --out`,
  cannotCreate: (target: string, dir: string, why: string) =>
    `--out: no se puede escribir ${target}: la carpeta ${dir} no te deja crear archivos (${why})`,
  couldNotWrite: (file: string, why: string) => `no se pudo escribir ${file}: ${why}`,
  errno: {
    ENOSPC: "el disco está lleno",
    EDQUOT: "se agotó la cuota de disco",
    EACCES: "permiso denegado",
    EPERM: "operación no permitida",
    EROFS: "el sistema de archivos es de solo lectura",
    ENOENT: "la carpeta ya no existe",
  },
  wrote: (replaced: boolean, target: string, link: string | undefined) =>
    `${replaced ? "sustituido" : "escrito"} ${target}${link === undefined ? "" : ` (a través del enlace ${link})`}`,
  contents: (sheets: number, names: string, formulas: number, ranges: number, seconds: string) =>
    `  ${sheets} hojas (${names}), ${formulas} fórmulas, ${ranges} rangos con nombre; ${seconds} s`,
  openWith: (file: string) => [
    "ábrelo con:",
    "  Excel: Archivo > Abrir (recalcula al abrir)",
    `  LibreOffice: libreoffice --calc "${file}"`,
    "  Hojas de cálculo de Google: Archivo > Importar > Subir",
  ],
  trainingFor: (preset: string, task: string, steps: number, examples: number) =>
    `entrenando la configuración ${preset} con ${task} durante ${steps} pasos (${examples} ejemplos)…`,
  workbookStep: (done: number, total: number, loss: string, accuracy: string) =>
    `  paso ${done}/${total}  pérdida ${loss}  exactitud por token ${accuracy}%`,
  training: (preset: string, task: string, examples: number, parameters: number) =>
    `entrenando la configuración ${preset} con ${task}: ${examples} ejemplos de entrenamiento, ${parameters} parámetros`,
  setup: (kind: string, lr: number, seed: number, batch: number | undefined, steps: number) =>
    `${kind}, lr ${lr}, semilla ${seed}, ${batch ? `lotes de ${batch}` : "lote completo"}, ${steps} pasos`,
  trainStep: (done: string, total: number, loss: string, accuracy: string, rate: string) =>
    `paso ${done}/${total}  pérdida ${loss}  exactitud por token ${accuracy}  ${rate} pasos/s`,
  stopped: (steps: number) => `detenido con Ctrl+C tras ${steps} pasos`,
  trainingSet: (loss: string, accuracy: string) => `conjunto de entrenamiento: pérdida ${loss}, exactitud por token ${accuracy}`,
  heldOut: (task: string | undefined) =>
    task === undefined ? "reservados" : `reservados (la tarea ${task} no reserva ninguno: sus datos de entrenamiento)`,
  heldOutLine: (label: string, loss: string, accuracy: string, tokens: number, examples: number) =>
    `${label}: pérdida ${loss}, exactitud por token ${accuracy} (${tokens} tokens, ${examples} ejemplos)`,
  exact: (what: string, share: string, matches: number | undefined, examples: number) =>
    `${what}, coincidencia exacta: ${share} (${matches}/${examples})`,
  time: (seconds: string, rate: string) => `tiempo: ${seconds} s (${rate} pasos/s)`,
  trainUsage: (u) =>
    `uso: npm run train -- [opciones]

Entrena sin interfaz el modelo de una configuración con una tarea e informa de
la pérdida y la exactitud por token con los ejemplos reservados (y de la
coincidencia exacta voraz del encoder-decoder, de la continuación voraz de
cada comienzo con gpt).

opciones:
  --preset NOMBRE     ${u.presets} (por defecto ${u.preset})
  --task NOMBRE       ${u.tasks} (por defecto: la tarea de la configuración)
  --steps N           pasos de entrenamiento (por defecto: los de la configuración)
  --optimizer TIPO    adam | sgd (por defecto: el de la configuración)
  --lr X              tasa de aprendizaje, mayor que 0 (por defecto: la de la configuración)
  --seed N            semilla de los pesos iniciales y del orden de los lotes (por defecto ${u.seed})
  --batch-size N      ejemplos por paso (por defecto: todo el conjunto de entrenamiento)
  --layers N          capas por pila, de 1 a ${u.layers} (por defecto 1)
  --json              un objeto JSON por línea: líneas de progreso y después un resultado
  --lang IDIOMA       ${u.langs}: el idioma de los mensajes (por defecto en); --json es igual en todos los idiomas
  --help              este texto`,
  workbookUsage: (u) =>
    `uso: npm run workbook -- [opciones]

Entrena el modelo de una configuración y lo escribe como un libro .xlsx de
fórmulas simples que se abre en Excel, LibreOffice y Hojas de cálculo de Google.

opciones:
  --preset NOMBRE     ${u.presets} (por defecto ${u.preset})
  --task NOMBRE       ${u.tasks} (por defecto: la tarea de la configuración)
  --sentence "..."    la frase de la hoja Overview, hecha de palabras de la tarea
                      (por defecto: el primer ejemplo de entrenamiento); con gpt, el
                      comienzo que el modelo continúa (por defecto: las ${u.prompt} primeras
                      palabras del primer texto)
  --layers N          capas por pila, de 1 a ${u.layers} (por defecto 1): N capas de codificador,
                      y N capas de decodificador con encoder-decoder y gpt
  --train-steps N     pasos de entrenamiento antes de escribir, 0 para pesos sin entrenar
                      (por defecto: ${u.steps})
  --seed N            semilla de los datos, los pesos iniciales y el orden de los lotes (por defecto ${u.seed})
  --dice-seed N       gpt: semilla de las celdas Dice con las que sortea el muestreo (por defecto: --seed)
  --out ARCHIVO       el archivo .xlsx que se escribe (por defecto ${u.out}); un archivo que ya
                      existe se sustituye y conserva sus permisos, se escribe el destino de un
                      enlace y se rechaza un archivo de solo lectura
  --lang IDIOMA       ${u.langs}: el idioma de la Guía, los títulos de los bloques, las notas y
                      estos mensajes (por defecto en); los nombres de hojas y de rangos y los
                      números no cambian
  --help              este texto`,
};

export const CLI_TABLES: Record<Lang, CliStrings> = { en: cliEn, es: cliEs };

/** The CLI table of the language in use (`--lang`). */
export const cliT = (): CliStrings => CLI_TABLES[language()];
