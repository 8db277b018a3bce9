/**
 * Todo texto en español que lee un usuario: las notas, los títulos y la Guía
 * de las hojas, la visita guiada, el panel y sus mensajes. Tiene las mismas
 * claves que la tabla inglesa (en.ts): el tipo Strings hace que falte una
 * clave sea un error de compilación. Los nombres de hojas y de rangos
 * (Tokens, Enc_H1_Attn, Encoder…) no se traducen: las fórmulas los usan.
 */
import type { ModelKind, AttentionRole } from "../model/architecture";
import { sayPlace, type Refusal, type Stream, type WordPart, type WordPlace } from "../model/messages";
import type { PresetName } from "../model/presets";
import type { TaskName } from "../model/tasks";
import { SPECIALS } from "../model/vocab";
import { quoted, type Strings } from "./en";

const PARTE: Record<WordPart, string> = {
  sentence: "frase de origen",
  prompt: "comienzo",
  source: "origen",
  target: "objetivo",
  text: "texto",
};

/** "ejemplo 2, objetivo, palabra 3": where an unknown word was read (src/model/messages.ts, WordPlace). */
const lugar = (where: WordPlace): string => sayPlace(where, { example: (n) => `ejemplo ${n}`, part: PARTE, word: (n) => `palabra ${n}` });

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const capas = (n: number, what: string): string => `${plural(n, "capa", "capas")} ${what}`;

export const es: Strings = {
  languageName: "Español",
  notes: {
    tokens:
      "Escribe una palabra por celda. Todos los bloques del libro se calculan a partir de estas celdas, así que al cambiar una palabra " +
      "cambian la atención, la salida y la predicción. Deja una celda vacía para <pad> (relleno).",
    tokensCopy:
      "Los Tokens escritos en la hoja Overview, repetidos aquí para que esta hoja se lea de arriba abajo: la fila de cada palabra en el " +
      "vocabulario y después X. Escribe en Overview; una celda vacía es <pad>.",
    overviewMaps: "Adónde mira cada cabeza: una fila por token de consulta, una columna por token clave",
    overviewMap:
      "Copia de los pesos de atención de una cabeza: el token de la fila toma de los tokens de las columnas en estas proporciones " +
      "(cada fila suma 1 con softmax activado). Escribe otra frase arriba y el mapa la sigue.",
    tokenIds:
      "Dónde está cada palabra en el vocabulario: la fila cuya palabra es exactamente la escrita (EXACT; las mayúsculas cuentan como " +
      "minúsculas, y * ? ~ son caracteres normales, no comodines). #N/A significa que la palabra no está en el vocabulario: elige una " +
      "de la lista Vocabulario.",
    visible:
      "El relleno no es una palabra: la atención da a las claves <pad> un peso de exactamente 0. Esta fila indica qué posiciones se " +
      "pueden mirar.",
    vocab: "Todas las palabras que conoce el modelo, una por fila. La fila 1 es <pad>, la 2 <s> (inicio) y la 3 </s> (fin).",
    embedding:
      "El vector aprendido de cada palabra (su incrustación o embedding). El modelo toma una fila por token. Son pesos entrenados: " +
      "el entrenador escribe aquí los valores nuevos.",
    posEnc:
      "La atención por sí sola ignora el orden, así que cada posición recibe un patrón fijo de senos y cosenos: " +
      "PE[p,2i] = sin(p/10000^(2i/d)), PE[p,2i+1] = cos(p/10000^(2i/d)).",
    x: "La entrada del codificador: el embedding de la palabra más la codificación posicional de su posición, una fila por token.",
    decX:
      "La entrada del decodificador, incrustada como la del origen: el embedding de cada token del decodificador más la codificación " +
      "de su posición.",
    decTokens:
      "La posición 1 es el token de inicio <s>. Cada posición siguiente toma la palabra que el modelo predijo en la posición anterior, " +
      "así que el decodificador escribe su frase palabra a palabra (decodificación voraz) con fórmulas normales y sin referencia circular.",
    decTokensFixed:
      "La entrada del decodificador: <s> y después las palabras predichas al construir el libro. En el estilo ATTN.* una fórmula de " +
      "bloque entero no puede devolver cada predicción a la posición siguiente sin una referencia circular, así que son valores fijos: " +
      "escribe aquí las palabras de Predicted para avanzar la decodificación a mano, o vuelve a construir.",
    softmaxSwitch:
      "VERDADERO/TRUE (o 1) convierte las puntuaciones en pesos con un softmax (cada fila suma 1). FALSO/FALSE (o 0) usa las " +
      "puntuaciones sin más, como hacía la demo original.",
    switchCheck:
      "Cómo se lee el interruptor de al lado: on (VERDADERO/TRUE o 1) u off (FALSO/FALSE o 0). Cualquier otra cosa, como sí, 2, " +
      'el texto "1" o una celda vacía, se señala aquí, y los bloques que leen el interruptor muestran #N/A hasta que vuelva a ser ' +
      "VERDADERO o FALSO.",
    inputCheck:
      "OK cuando todas las palabras de Tokens están en el vocabulario. Avisa cuando Tokens está vacío (entonces la salida no significa " +
      "nada) o cuando una palabra no está en el vocabulario: usa las palabras de la lista Vocabulario de la hoja Input.",
    scalingSwitch:
      "VERDADERO/TRUE (o 1) divide las puntuaciones entre √d_k, lo que evita que el softmax se sature al crecer d_k. FALSO/FALSE (o 0) " +
      "las deja sin escalar, como hacía la demo original.",
    Wq: "Pesos de consulta: convierten el vector de cada token en la pregunta que hace a los demás. Entrenados.",
    Wk: "Pesos de clave: convierten el vector de cada token en la etiqueta con la que los demás comparan sus preguntas. Entrenados.",
    Wv: "Pesos de valor: convierten el vector de cada token en el contenido que transmite cuando se le presta atención. Entrenados.",
    Q: "Consultas, una fila por token: X·Wq (MMULT de una fila de X por una columna de Wq).",
    K: "Claves, una fila por token: X·Wk.",
    V: "Valores, una fila por token: X·Wv.",
    scores:
      "Cuánto encaja cada consulta (fila) con cada clave (columna): el producto escalar de una fila de Q por una fila de K, dividido " +
      "entre √d_k si el escalado está activado. Las columnas de <pad> valen 0 y se ignoran.",
    scoresCausal:
      "Puntuaciones de la autoatención enmascarada: la posición i solo puede mirar las posiciones hasta la i, así que las celdas a la " +
      "derecha de la diagonal valen 0 y las fórmulas nunca se refieren a posiciones posteriores.",
    attn:
      "Pesos de atención: un softmax a lo largo de cada fila convierte las puntuaciones en pesos positivos que suman 1. Una celda " +
      "brillante significa que el token de esa fila toma mucho del token de esa columna.",
    attnCausal:
      "Pesos de atención de la autoatención enmascarada: cada fila es un softmax sobre las posiciones que puede ver; el resto vale 0.",
    headOut: "La salida de la cabeza: cada fila es la media ponderada de las filas de valores, con los pesos de atención de esa fila.",
    concat: "Las salidas de las cabezas una al lado de otra, una fila por token.",
    Wo: "Proyección de salida: vuelve a mezclar las cabezas en un vector de anchura d_model. Entrenada.",
    mha: "Salida de la atención multicabeza: las cabezas una al lado de otra, multiplicadas por Wo.",
    residual:
      "La conexión residual: la entrada del bloque más lo que calculó la subcapa, para que la información pueda pasar junto a la " +
      "subcapa sin cambios.",
    gamma: "Ganancia γ de LayerNorm, una por columna. Entrenada.",
    beta: "Desplazamiento β de LayerNorm, uno por columna. Entrenado.",
    layerNorm:
      "LayerNorm (normalización de capa) de cada fila: resta la media de la fila, divide entre √(varianza + 0.00001) (la varianza de " +
      "la fila, dividiendo entre d), luego multiplica por γ y suma β.",
    W1: "Primeros pesos de la red prealimentada: ensanchan el vector de cada token hasta el tamaño oculto. Entrenados.",
    b1: "Primer sesgo de la red prealimentada. Entrenado.",
    W2: "Segundos pesos de la red prealimentada: estrechan el vector oculto de vuelta a d_model. Entrenados.",
    b2: "Segundo sesgo de la red prealimentada. Entrenado.",
    hidden: "La capa oculta de la red prealimentada: ReLU(x·W1 + b1), con los valores negativos cortados a 0.",
    ffnOut: "La salida de la red prealimentada: oculta·W2 + b2. Trabaja con cada token por separado.",
    outW: "Pesos de salida: una columna por palabra del vocabulario. Entrenados.",
    outB: "Sesgo de salida, uno por palabra. Entrenado.",
    logits: "Una puntuación por palabra del vocabulario en cada posición: la salida de la capa superior por Out_W más Out_B.",
    probs: "Softmax de cada fila de logits: la probabilidad que da el modelo a cada palabra en cada posición.",
    predicted: "La palabra más probable en cada posición (el logit mayor).",
    predictedDecoder:
      "La siguiente palabra más probable en cada posición del decodificador (el logit mayor). Cada predicción pasa a ser la entrada " +
      "del decodificador en la posición siguiente.",
    probsTemperature:
      "Softmax de cada fila de logits dividida entre la celda Temperature: por debajo de 1 la palabra más probable se lleva más " +
      "probabilidad; por encima de 1 las palabras se igualan. Con 1 son las probabilidades propias del modelo.",
    cumulative:
      "Las probabilidades de cada fila sumadas desde la izquierda: la celda bajo una palabra es la probabilidad de esa palabra o de " +
      "cualquiera anterior. El muestreo toma la primera palabra cuya suma acumulada alcanza el valor Dice de la posición.",
    predictedGenerated:
      "El token elegido después de cada posición: el más probable cuando Sampling_On es FALSO; cuando es VERDADERO, la primera palabra " +
      "cuya probabilidad acumulada alcanza el Dice de esa posición. Cada elección pasa a ser la siguiente celda de Tokens tras el " +
      "comienzo.",
    tokensGenerated:
      "La posición 1 es el token de inicio <s>. Escribe las palabras del comienzo en las Prompt_Length celdas siguientes; cada celda " +
      "posterior es una fórmula que toma el token elegido después de la posición anterior, así que el modelo escribe el resto del " +
      "texto palabra a palabra. Después de </s> el resto es <pad>.",
    tokensGeneratedFixed:
      "<s>, el comienzo y después los tokens que eligió el modelo al construir el libro. En el estilo ATTN.* una fórmula de bloque " +
      "entero no puede devolver cada elección a la posición siguiente sin una referencia circular, así que la continuación son valores " +
      "fijos: escribe aquí las palabras de Predicted para avanzarla a mano, o vuelve a construir.",
    promptLength:
      "Cuántas celdas de Tokens después de <s> forman el comienzo que escribes. Las celdas siguientes son fórmulas que continúan tu texto.",
    temperature:
      "Divide los logits antes del softmax. 1 mantiene las probabilidades del modelo; 0.5 las agudiza; 2 las aplana. Cámbiala con " +
      "Sampling_On en VERDADERO y mira cómo cambian las palabras elegidas.",
    samplingSwitch:
      "FALSO/FALSE (o 0): toma la palabra más probable en cada posición (voraz). VERDADERO/TRUE (o 1): sortea cada palabra con el " +
      "valor Dice de la posición.",
    dice:
      "Un número de 0 a 1 por posición: los sorteos que usa el muestreo. Son valores fijos, así que nada se recalcula solo; el panel " +
      "y npm run workbook -- --dice-seed N tiran dados nuevos.",
    generated: "El texto después de <s>, comienzo y continuación, hasta el token de fin </s>.",
    translation: "Las palabras predichas unidas en una frase, hasta el token de fin </s>.",
    dataSource:
      "Entradas de entrenamiento: un ejemplo por fila, una palabra por celda; las celdas vacías son <pad>. Edita o añade filas y " +
      "luego entrena desde el panel.",
    dataText:
      "Textos de entrenamiento: uno por fila, una palabra por celda. El modelo lee <s> y después el texto, y aprende a predecir cada " +
      "palabra siguiente, y </s> después de la última. Edita o añade filas y luego entrena desde el panel.",
    dataTarget:
      "Lo que el modelo debería producir para el origen de la fila: una palabra por celda; las celdas vacías son <pad> y no cuentan " +
      "en la pérdida.",
    check:
      "El mismo bloque calculado por las funciones ATTN.* del complemento a partir de los mismos rangos con nombre, para comprobar " +
      "las fórmulas de las celdas frente al modelo en TypeScript.",
    checkDiff:
      "La mayor diferencia absoluta entre los resultados de ATTN.* y las fórmulas de las celdas. Algo cercano a 1e-15 es redondeo; " +
      "un valor grande significa que una fórmula o un rango de pesos no cuadra.",
    log:
      "Una fila por paso de entrenamiento: la pérdida media de entropía cruzada sobre la hoja Data, la proporción de tokens objetivo " +
      "acertados y el tiempo.",
    guide: [
      "1. En Overview, escribe otra frase en las celdas de Tokens (palabras del Vocabulario de la hoja Input). Mira cómo cambian los " +
        "mapas de atención de las cabezas y la salida del modelo junto a la frase.",
      "2. En Encoder, haz clic en cualquier celda para leer su fórmula: cada número se calcula a partir de las celdas anteriores, " +
        "sin macros.",
      "3. Edita un peso (por ejemplo una celda de Enc_H1_Wq) y mira qué bloques cambian.",
      "4. En Excel con el complemento Attention Lab, pulsa Entrenar un paso o Entrenar N pasos: el entrenador calcula los gradientes " +
        "y escribe pesos nuevos en estas celdas.",
      "5. Las celdas brillantes de los pesos de atención muestran de qué tokens toma una posición; cada fila suma 1 con softmax activado.",
    ],
    guideGenerate: [
      "1. En Overview, escribe otro comienzo en las celdas de Tokens después de <s> (palabras del Vocabulario de la hoja Input). Las " +
        "celdas tras el comienzo son fórmulas: el modelo continúa tu texto, que aparece al lado, y los mapas de atención lo siguen.",
      "2. En Decoder, haz clic en cualquier celda para leer su fórmula: cada número se calcula a partir de las celdas anteriores, sin " +
        "macros. Cada fila de los pesos de atención solo ve las posiciones hasta la suya.",
      "3. En Output, pon Sampling_On en VERDADERO y cambia Temperature: cambian las Probs, y las palabras se sortean con los valores " +
        "Dice en lugar de tomarse de forma voraz.",
      "4. En Excel con el complemento Attention Lab, pulsa Entrenar un paso o Entrenar N pasos: el entrenador calcula los gradientes " +
        "y escribe pesos nuevos en estas celdas.",
      "5. Edita un peso (por ejemplo una celda de Dec_H1_Wq) y mira qué bloques y palabras cambian.",
    ],
  },
  presetDescription: (name: PresetName): string =>
    ({
      seed:
        "Las proporciones del AttentionDemo original: 9 tokens, 4 cabezas, Q/K/V de 3 dimensiones, una codificación posicional de " +
        "2 dimensiones, sin softmax y sin escalado.",
      encoder: "Una capa de codificador con atención softmax, del tamaño justo para aprender a invertir una secuencia en segundos.",
      "encoder-decoder":
        "Una capa de codificador y una de decodificador (autoatención enmascarada, atención cruzada) que aprenden los pares de " +
        "inglés a español.",
      gpt:
        "Un modelo solo decodificador al estilo GPT (autoatención enmascarada y FFN, Post-LN como en GPT-1) que aprende a continuar " +
        "cuentos cortos palabra a palabra.",
    })[name],
  stacks: (c: { kind: ModelKind; layers: number }): string =>
    ({
      encoder: capas(c.layers, "de codificador"),
      "encoder-decoder": `${capas(c.layers, "de codificador")} y ${capas(c.layers, "de decodificador")}`,
      "decoder-only": capas(c.layers, "de decodificador"),
    })[c.kind],
  sheet: {
    purpose: {
      guide: "Qué muestra cada hoja y cómo jugar con ella.",
      overview:
        "Escribe una frase en las celdas de Tokens: la salida del modelo, la atención de cada cabeza y la pérdida cambian con ella.",
      input: "De los tokens escritos a X: la fila de cada palabra en el vocabulario, su embedding más la codificación de su posición.",
      output: "Logits = salida de la capa superior·Out_W + Out_B, probabilidades por softmax y el token elegido en cada posición.",
      data: "Ejemplos de entrenamiento, uno por fila, un token por celda. Edítalos y luego entrena desde el panel.",
      training: "Cada entrenamiento añade aquí sus pasos; el gráfico sigue la pérdida.",
    },
    guide: {
      heading: (preset: string, description: string) => `Attention Lab — configuración "${preset}": ${description}`,
      positions: (source: number, target: number) =>
        target > 0 ? `${source} posiciones de origen, ${target} posiciones del decodificador` : `${source} posiciones`,
      // The parameter's type comes from the English table (Strings).
      model: (o) =>
        `${o.stacks} (${o.summary}); d_model ${o.dModel}, ${plural(o.heads, "cabeza", "cabezas")} de anchura ${o.dK}, ` +
        `red prealimentada de anchura ${o.dFF}, ${o.positions}, ${o.softmax ? "softmax" : "sin softmax"}, ` +
        `${o.scaled ? "puntuaciones escaladas por 1/√d_k" : "sin escalado"}.`,
      sheets: "Las hojas, en el orden en que fluyen los números:",
      play: "Cómo jugar con el modelo",
    },
    kinds: {
      encoder: { summary: "un codificador: un token predicho por posición", predicted: "Token predicho en cada posición" },
      "encoder-decoder": {
        summary: "un codificador y un decodificador: el decodificador escribe la frase de salida palabra a palabra",
        predicted: "Siguiente token predicho en cada posición del decodificador",
      },
      "decoder-only": {
        summary: "un modelo solo decodificador (GPT): continúa el comienzo palabra a palabra",
        predicted: "El token elegido después de cada posición (voraz, o sorteado con Dice al muestrear)",
      },
    },
    tokensTyped: "Tokens (escribe aquí)",
    decoderInputFixed: "Entrada del decodificador: <s> y después las predicciones hechas al construir",
    decoderInputLive: "Entrada del decodificador: <s> y después la predicción de cada posición (decodificación voraz)",
    translation: "La frase de salida, hasta </s>",
    tokensGenerated: "Tokens: <s>, tu comienzo (escribe aquí) y después la continuación del modelo",
    generated: "El texto: comienzo y continuación, hasta </s>",
    layerSheet: (stack: "encoder" | "decoder", index: number, of: number, parts: string[], input: string, out: string) =>
      `Capa ${index} de ${of} del ${stack === "encoder" ? "codificador" : "decodificador"}: ${parts.join(", ")}; ` +
      `cada una seguida de suma y normalización (suma residual y después LayerNorm). Lee ${input}; su salida es ${out}.`,
    roleWords: {
      self: "autoatención",
      masked: "autoatención enmascarada",
      cross: "atención cruzada sobre la salida del codificador",
    },
    ffnWords: "la red prealimentada",
    attentionHeading: {
      self: "Autoatención: cada token mira a todos los tokens (que no son relleno)",
      masked: "Autoatención enmascarada: la posición i solo ve las posiciones 0..i",
      cross: "Atención cruzada: consultas del decodificador, claves y valores de la salida del codificador",
    },
    headWeight: (h: number, name: string) => `Cabeza ${h} ${name}`,
    headAttn: (h: number) => `Cabeza ${h}: pesos de atención`,
    headScores: (h: number, scaled: boolean) => `Cabeza ${h}: puntuaciones Q·Kᵀ${scaled ? "/√d_k" : ""}`,
    headProjection: (h: number, name: string, from: string) => `Cabeza ${h} ${name} = ${from}·W${name.toLowerCase()}`,
    headOut: (h: number) => `Cabeza ${h}: salida = pesos·V`,
    concat: "Cabezas una al lado de otra [H1 … Hh]",
    mha: "Salida multicabeza = cabezas·Wo",
    vocab: "Vocabulario",
    embedding: "Embedding E (una fila por palabra)",
    posEnc: "Codificación posicional PE",
    tokenIds: "Fila en el vocabulario",
    visible: "¿Visible como clave? (1 = sí, 0 = <pad>)",
    x: (decoder: boolean) => `X${decoder ? " del decodificador" : ""} = E[token] + PE (una fila por token)`,
    ffnHeading: "Red prealimentada (feed-forward): ReLU(x·W1 + b1)·W2 + b2",
    hidden: "Oculta = ReLU(x·W1 + b1)",
    ffnOut: "Salida de la FFN = oculta·W2 + b2",
    addNorm: (index: number) => `Suma y normalización ${index}`,
    residualSum: (title: string) => `${title}: suma residual`,
    layerNorm: (title: string) => `${title}: LayerNorm`,
    gamma: "γ (ganancia)",
    beta: "β (desplazamiento)",
    probs: "Probabilidades (softmax de cada fila)",
    probsTemperature: "Probabilidades: softmax de cada fila de logits / Temperature",
    cumulative: "Probabilidad acumulada a lo largo de cada fila (para el muestreo)",
    checkHeading:
      "Comprobación: las funciones ATTN.* recalculan estos bloques; la diferencia con las fórmulas de las celdas debería rondar 1e-15",
    checkOf: (of: string) => `ATTN.* para ${of}`,
    checkDiff: "Mayor diferencia",
    dataText: "Texto",
    dataSource: "Origen",
    dataTarget: "Objetivo",
    readsAs: "Se lee como",
    inputCheck: "Comprobación de la entrada",
    promptLength: "Longitud del comienzo",
    softmaxOn: "¿Softmax activado?",
    scalingOn: "¿Escalar por √d_k?",
    samplingOn: "¿Muestreo activado?",
    temperature: "Temperatura",
    dice: "Dados: un sorteo en [0, 1) por posición",
    tokensCopy: (sheet: string) => `Tokens (escritos en la hoja ${sheet})`,
    overviewTitle: {
      self: (layer: string, h: number) => `${layer} cabeza ${h}`,
      masked: (layer: string, h: number) => `${layer} autoatención cabeza ${h}`,
      cross: (layer: string, h: number) => `${layer} cruzada cabeza ${h} — objetivo × origen`,
    },
    overviewMapShows: (key: string, sheet: string) => `Muestra ${key} de la hoja ${sheet}.`,
    trainingLog: "Registro de entrenamiento",
    lossChart: "Pérdida por paso",
    logColumns: { step: "Paso", loss: "Pérdida", accuracy: "Exactitud", seconds: "Segundos" },
    inputEmpty: "Escribe una frase en Tokens: la entrada está vacía",
    inputUnknown: "Una palabra de Tokens no está en el vocabulario: su fila muestra #N/A",
    noInput: "(sin entrada: escribe una frase en Tokens)",
    emptyCell: "una celda vacía",
    notASwitch: " no es un valor de interruptor: escribe VERDADERO o FALSO (o 1 o 0). Los bloques que lo leen muestran #N/A.",
    badTemperature: "⚠ la temperatura debería ser un número mayor que 0 (1 deja las probabilidades como están)",
  },
  tour: {
    embedding: "Embedding",
    embeddingText: (rest: string) =>
      "Un transformer lee números, no palabras: cada token se sustituye por la fila de su palabra en este bloque, un vector " +
      `aprendido de d_model números (su incrustación o embedding). ${rest}`,
    embeddingLead: "El vector aprendido de cada palabra (su incrustación o embedding). ",
    posEnc: "Codificación posicional",
    qkv: "Consultas, claves y valores",
    qkvText: (q: string, k: string, v: string) =>
      `Cada cabeza proyecta cada token de tres maneras. ${q} ${k} ${v} El bloque seleccionado son las consultas de la cabeza 1; ` +
      "sus claves y valores están a la derecha.",
    scores: "Puntuaciones",
    softmax: "Softmax",
    noSoftmax: (switchNote: string) =>
      `Este modelo tiene el softmax desactivado, como la demo original: los "pesos" son las puntuaciones sin más. ${switchNote}`,
    weightedSum: "Suma ponderada",
    weightedSumText: (headOut: string) =>
      `${headOut} Un token que presta mucha atención a otro copia sobre todo la fila de valores de ese token.`,
    multiHead: "Atención multicabeza",
    multiHeadText: (heads: number, concat: string, mha: string) =>
      `Este modelo tiene ${plural(heads, "cabeza", "cabezas")}, cada una con sus propias Wq, Wk y Wv, así que cada una puede ` +
      `buscar algo distinto. ${concat} ${mha}`,
    residual: "Conexión residual y LayerNorm",
    ffn: "Red prealimentada",
    ffnText: (hidden: string, out: string, layerOut: string) =>
      `${hidden} ${out} Siguen otra suma residual y otra LayerNorm, que dan la salida de la capa, ${layerOut}.`,
    roles: {
      self: "Autoatención",
      masked: "Autoatención enmascarada",
      cross: "Atención cruzada",
    },
    maskedText:
      "La autoatención enmascarada, seleccionada aquí, deja que cada posición mire solo las posiciones hasta la suya: las celdas a la " +
      "derecha de la diagonal valen 0, así que una posición no puede espiar las palabras que vienen después.",
    crossText: (decTokens: string) =>
      `${decTokens} La atención cruzada, seleccionada aquí, toma sus consultas del decodificador y sus claves y valores de la salida ` +
      "del codificador: cada fila muestra de qué palabras del origen toma esa posición de salida.",
    stack: "Una pila de capas",
    stackText: (stacks: string, top: string) =>
      `Este modelo tiene ${stacks}. La capa 2 lee la salida de la capa 1 y calcula los mismos bloques con sus propios pesos, y así ` +
      `hacia arriba; la capa de salida lee la capa superior, ${top}.`,
    output: "Salida",
    training:
      "El entrenamiento compara estas probabilidades con las palabras que la hoja Data dice que deben salir: la pérdida es la " +
      "media de −log(probabilidad de la palabra correcta). Cada paso mueve un poco cada peso para bajarla y escribe una fila en " +
      "Train_Log, en la hoja Training, cuyo gráfico dibuja la pérdida.",
  },
  html: {
    language: "Idioma",
    buildTitle: "Construir",
    preset: "Configuración",
    task: "Tarea",
    heads: "Cabezas",
    layers: "Capas por pila",
    layersHint: "De 1 a 6. La capa 2 y las siguientes tienen hojas propias (Encoder 2, Decoder 2, …).",
    seed: "Semilla",
    seedHint: 'Elige los datos y los primeros pesos; "Restablecer pesos" también la usa.',
    formulas: "Fórmulas",
    styleCells: "Fórmulas por celda (cualquier hoja de cálculo)",
    styleFunctions: "Funciones ATTN.* (necesitan este complemento)",
    build: "Construir",
    trainTitle: "Entrenar",
    vocabulary: "Vocabulario",
    tokens: "tokens",
    optimizer: "Optimizador",
    lr: "Tasa de aprendizaje",
    steps: "Pasos",
    trainStep: "Entrenar un paso",
    cancel: "Cancelar",
    loss: "Pérdida",
    accuracy: "Exactitud",
    step: "Paso",
    lossCurve: "Curva de pérdida",
    reset: "Restablecer pesos",
    resetYes: "Sí, restablecer",
    resetNo: "Conservar mis pesos",
    attentionTitle: "Atención",
    attentionHint:
      "Cada token de consulta (izquierda) traza una línea hacia cada clave (derecha) a la que puede atender; cuanto más oscura la " +
      "línea, mayor el peso en la hoja. Selecciona los pesos de una cabeza en el libro para verlos aquí.",
    attnBlock: "Bloque de atención",
    attnHead: "Cabeza",
    queries: "Consultas",
    keys: "Claves",
    largestWeights: "Pesos mayores",
    samplingTitle: "Muestreo",
    samplingHint:
      "Con Sampling_On en VERDADERO en la hoja Output, cada palabra después del comienzo se sortea con el valor Dice de su posición. " +
      "Dados nuevos sortean palabras nuevas; Temperature, Sampling_On y tu comienzo se quedan como los pusiste.",
    rollDice: "Tirar los dados",
    tourTitle: "Visita guiada",
    back: "Atrás",
    next: "Siguiente",
    warningsTitle: "Avisos de la última acción",
  },
  pane: {
    tasks: {
      copy: "copy: repetir la secuencia",
      reverse: "reverse: la secuencia al revés",
      sort: "sort: los símbolos en orden",
      translate: "translate: de inglés a español",
      stories: "stories: continuar un cuento corto",
    } satisfies Record<TaskName, string>,
    sentence: {
      label: "Frase en la hoja Overview",
      hint: "Palabras de la tarea, separadas por espacios. También puedes escribir en las celdas de Tokens más tarde.",
      placeholder: "el primer ejemplo de entrenamiento",
    },
    prompt: {
      label: "Comienzo en la hoja Overview",
      hint:
        "Las primeras palabras de un cuento, separadas por espacios: el modelo escribe el resto, en vivo, en las celdas de Tokens " +
        "que las siguen. También puedes escribir allí otro comienzo más tarde.",
      placeholder: (n: number) => `las primeras ${n} palabras del primer cuento`,
    },
    trainN: (n: string | undefined) => (n === undefined ? "Entrenar N pasos" : `Entrenar ${n} ${n === "1" ? "paso" : "pasos"}`),
    summary: (preset: string, dModel: number, heads: number, dK: number, stacks: string) =>
      `Modelo de este libro: configuración ${preset}, d_model ${dModel}, ${plural(heads, "cabeza", "cabezas")} de d_k ${dK}, ${stacks}.`,
    noModel: "Este libro aún no tiene modelo: construye uno primero.",
    progress: (done: number, total: number) => `${done} / ${total} pasos`,
    resetQuestion: (seed: string) =>
      `¿Sustituir todos los pesos por otros aleatorios nuevos de la semilla ${seed}? Tus pesos actuales van a la pila de deshacer, ` +
      'así que "Deshacer el entrenamiento" los recupera.',
    tourSteps: (n: number) => `${n} pasos por el cálculo.`,
    tourStep: (i: number, n: number) => `Paso ${i} de ${n}`,
    tourIntro: "Recorre el cálculo bloque a bloque: cada paso selecciona su bloque en el libro y lo explica. Pulsa Siguiente para empezar.",
    tourNoModel: "Construye primero un modelo; después la visita lo recorre bloque a bloque.",
    emptyToken: (k: number) => `(vacío ${k})`,
    repeatedToken: (word: string, k: number) => `${word} (${k})`,
    weightHead: (h: number) => ` (cabeza ${h})`,
    attendsMost: "atiende sobre todo a",
    attendedMost: "recibe más atención de",
    role: { self: "autoatención", masked: "enmascarada", cross: "cruzada" } satisfies Record<AttentionRole, string>,
    headOption: (h: number) => `Cabeza ${h}`,
    allHeads: "Todas las cabezas",
    readingWeights: "Leyendo los pesos…",
    noAttention: "Construye primero un modelo: su atención aparece aquí.",
    missingCells: (n: number) =>
      n === 1
        ? "1 celda de atención aún no tiene número y no recibe línea."
        : `${n} celdas de atención aún no tienen número y no reciben línea.`,
    attentionOf: (what: string) => `Atención de ${what}`,
    shownHeads: (block: string, head: number | "all") => `${block}, ${head === "all" ? "todas las cabezas" : `cabeza ${head}`}`,
    noBlock: "ningún bloque",
    linesDesc: (queries: number, keys: number) =>
      `Líneas desde cada uno de los ${queries} tokens de consulta (izquierda) hacia los ${keys} tokens clave (derecha) a los que ` +
      "atiende; cuanto más oscura la línea, mayor su peso.",
    largestDesc: (largest: string, n: number) => ` El mayor: ${largest}. La lista de abajo nombra los ${n} mayores.`,
    noWeights: "Aún no hay pesos que mostrar.",
    tokenLabel: (word: string, side: "query" | "key", k: number) => `${word}, ${side === "query" ? "consulta" : "clave"} ${k}`,
    couldNotRead: (block: string, why: string) => `No se pudo leer la atención de ${block}: ${why}`,
    noRun: "Aún no se ha entrenado: la pérdida de cada paso aparece aquí mientras el modelo entrena.",
    curve: (steps: number, first: string, firstStep: number, last: string, lastStep: number, low: string, lowStep: number) =>
      `Pérdida en ${plural(steps, "paso", "pasos")}: ${first} en el paso ${firstStep}, ${last} en el paso ${lastStep}; ` +
      `la más baja, ${low} en el paso ${lowStep}.`,
  },
  status: {
    loadingOffice: "Cargando Office…",
    waiting:
      "Esperando a Excel: si estás escribiendo en una celda, pulsa Intro o Esc para terminar; Excel también puede estar calculando. " +
      "El panel sigue solo en cuanto Excel responda.",
    outsideHelp: [
      "Compila el complemento (npm run build) y sirve dist/ por HTTPS (npm run dev-server).",
      "Carga manifest.xml de forma local: npm start en Windows o Mac, npm run start:web -- --document URL para Excel en la web, " +
        "o en Excel elige Complementos > Mis complementos > Cargar mi complemento.",
      "En Excel, elige Inicio > Abrir Attention Lab: el panel construye y entrena un transformer en el libro abierto.",
    ],
    openFromExcel: (reason: string) => `Abre esta página desde Excel: ${reason}`,
    noOfficeJs: "office.js no se cargó, así que esta página no puede llegar a un libro.",
    otherHost: (host: string) => `se está ejecutando en ${host}, no en Excel.`,
    browser: "está abierta en un navegador, no en Excel.",
    officeFailed: (why: string) => `Office no arrancó (${why}).`,
    noWorkbook: "no hay ningún libro con el que trabajar.",
    looking: "Buscando un modelo de Attention Lab en este libro…",
    found: (preset: string) =>
      `Este libro tiene un modelo de Attention Lab (configuración ${preset}). Entrénalo, haz la visita guiada o construye uno nuevo.`,
    ready: "Listo. Elige una configuración y pulsa Construir para escribir el transformer en este libro.",
    readFailed: "No se pudo leer la configuración de Attention Lab de este libro",
    checkFields: "Revisa los campos marcados abajo.",
    computing: "Calculando el modelo y sus hojas…",
    built: (sheets: number, preset: string, cells: boolean) =>
      `Construidas ${sheets} hojas para la configuración ${preset} (${cells ? "fórmulas por celda" : "funciones ATTN.*"}). ` +
      "Entrénalo abajo o haz la visita guiada.",
    buildFailed: "La construcción falló",
    reading: "Leyendo el modelo y la hoja Data…",
    noModel: "Este libro aún no tiene un modelo de Attention Lab: pulsa Construir primero.",
    cancelledBefore: "Cancelado antes del primer paso; los pesos no han cambiado.",
    liveWrites: (every: number) =>
      `; los pesos del libro se actualizan cada ${every} pasos, y Cancelar se detiene después del paso en curso`,
    training: (total: number, live: string) => `Entrenando ${plural(total, "paso", "pasos")}${live}…`,
    trainingStopped: "El entrenamiento se detuvo",
    writingLog: "Escribiendo el registro de entrenamiento y los gradientes…",
    logFailed: (why: string) => `No se pudieron añadir los pasos a la hoja Training: ${why}`,
    gradientsFailed: (why: string) => `No se pudieron escribir los gradientes en la hoja Gradients: ${why}`,
    moved: (first: string, last: string) => ` Pérdida ${first} → ${last}`,
    accuracy: (a: string) => `, exactitud ${a}.`,
    diverged: "El entrenamiento divergió; los últimos pesos buenos están de vuelta en el libro.",
    cancelled: (steps: number, total: number, step: number) =>
      `Cancelado tras ${steps} de ${total} pasos; el libro tiene los pesos del paso ${step}.`,
    trained: (steps: number, seconds: string) => `Entrenados ${plural(steps, "paso", "pasos")} en ${seconds} s.`,
    undoTraining: "Deshacer el entrenamiento",
    undoRoll: "Deshacer la tirada",
    undoDice: (where: string) => `Deshacer recupera los valores Dice que tenías antes de la última tirada (${where}).`,
    undoReset: (step: number) => `Deshacer recupera los pesos que tenías antes de "Restablecer pesos" (paso ${step}).`,
    undoRun: (steps: number, step: number) =>
      `Deshacer recupera los pesos de antes del último entrenamiento de ${plural(steps, "paso", "pasos")} (paso ${step}).`,
    restoring: "Restaurando los pesos…",
    restored: (run: boolean, step: number, more: boolean) =>
      `Restaurados los pesos ${run ? "de antes del último entrenamiento" : "que tenías antes del restablecimiento"} (paso ${step}).` +
      (more ? " Deshaz otra vez para ir más atrás." : ""),
    undoKept: (cells: string, one: boolean) =>
      `Cambiaste ${cells} desde el último entrenamiento: Deshacer restauró todos los demás pesos y conservó ` +
      `${one ? "tu valor" : "tus valores"}. Pulsa Deshacer otra vez para restaurar también ${one ? "esa celda" : "esas celdas"}.`,
    undoFailed: "No se pudo deshacer",
    puttingBack: "Devolviendo los dados…",
    again: " Deshaz otra vez para ir más atrás.",
    putBack: (where: string) => `Devueltos los valores Dice que tenías antes de la última tirada (${where}).`,
    putBackExcept: (cells: string, one: boolean) =>
      `Devueltos los valores Dice que tenías antes de la última tirada, salvo ${cells}: ${one ? "la cambiaste" : "las cambiaste"} ` +
      `después, y ${one ? "conserva tu valor" : "conservan tus valores"}.`,
    rolled: (seed: number, where: string) =>
      `Dados nuevos (semilla ${seed}) en ${where}. Con Sampling_On en VERDADERO, las palabras después del comienzo se sortean con ` +
      'ellos; "Deshacer la tirada" recupera los que tenías.',
    rollFailed: "No se pudieron tirar los dados",
    checkSeed: "Revisa la semilla.",
    savingForUndo: "Guardando los pesos actuales para poder deshacer…",
    resetDone: (seed: number) =>
      `Restablecidos todos los pesos desde la semilla ${seed}. "Deshacer el entrenamiento" recupera los pesos que tenías.`,
    resetFailed: "No se pudo restablecer",
    resetPutBack: "Los pesos que tenías están de vuelta en el libro; no se restableció nada.",
    resetPartly: 'Puede que algunos pesos ya estén restablecidos: "Deshacer el entrenamiento" recupera los pesos que tenías.',
    couldNotShow: (key: string) => `No se pudo mostrar ${key}`,
  },
  data: {
    storedVocab: ([pad, bos, eos]: string[]) =>
      `El vocabulario guardado en este libro no empieza por ${pad}, ${bos}, ${eos}: vuelve a construir el libro desde el panel.`,
    vocabStart: ([pad, bos, eos]: string[], cell: string, held: string | undefined) =>
      `El bloque Vocab debe empezar por ${pad}, ${bos} y ${eos}, que el modelo necesita, pero ${cell} contiene ` +
      `${held === undefined ? "nada" : `"${held}"`}: vuelve a ponerlos (o construye de nuevo el libro).`,
    twice: (word: string, first: string, second: string) =>
      `Vocab tiene "${word}" dos veces, en ${first} y en ${second}: cada palabra puede aparecer una sola vez.`,
    rows: (source: number, sourceRange: string, target: number, targetRange: string) =>
      `Data_Source tiene ${source} filas (${sourceRange}) pero Data_Target tiene ${target} (${targetRange}): ` +
      "cada ejemplo necesita una fila en cada uno.",
    unknown: (cell: string, word: string) => `${cell} contiene "${word}", que no está en el vocabulario.`,
    emptySource: (cell: string) => `${cell}: el origen de este ejemplo está vacío pero su objetivo no; rellénalo o borra el objetivo.`,
    more: (n: number) => `…y ${n} celdas más con palabras que no están en el vocabulario.`,
    useVocab: "Usa palabras del bloque Vocabulario de la hoja Input, o deja la celda vacía para <pad>.",
    noExamples: (range: string) =>
      `La hoja Data no tiene ejemplos (${range} está vacío): escribe al menos un origen y un objetivo, una palabra por celda.`,
  },
  excel: {
    reading: "Leyendo las hojas y los nombres del libro…",
    sheetsMoved: (planned: string[], actual: string[]) =>
      planned.length === 1
        ? `El libro ya tiene una hoja llamada ${planned[0]}, que se deja como está: la hoja nueva es ${actual[0]}, y todas las ` +
          "fórmulas se refieren a ella."
        : `El libro ya tiene hojas llamadas ${planned.join(", ")}, que se dejan como están: las hojas nuevas son ` +
          `${actual.join(", ")}, y todas las fórmulas se refieren a ellas.`,
    settingsMoved: (meta: string, sheet: string) =>
      `El libro ya tiene una hoja llamada "${meta}", que se deja como está: el complemento guarda su configuración en una hoja ` +
      `muy oculta "${sheet}".`,
    namesReplaced: (n: number, shown: string) =>
      n === 1
        ? `1 rango con nombre de una construcción anterior (${shown}) apunta ahora a las hojas nuevas.`
        : `${n} rangos con nombre de una construcción anterior (${shown}) apuntan ahora a las hojas nuevas.`,
    writing: (sheets: number, cells: string, part?: [number, number]) =>
      part
        ? `Escribiendo ${sheets} hojas (${cells} celdas), parte ${part[0]} de ${part[1]}…`
        : `Escribiendo ${sheets} hojas (${cells} celdas)…`,
    recalculating: "Recalculando…",
    extras: "Añadiendo notas, mapas de calor y el gráfico…",
    built: "Construido.",
    extra: {
      notes: "Las explicaciones de los bloques (notas o comentarios en sus títulos)",
      "colour scales": "Los mapas de calor (escalas de color)",
      "column widths": "Los anchos de columna",
      "frozen panes": "Las filas de título inmovilizadas",
      charts: "El gráfico de pérdida",
    },
    extraFailed: (what: string, why: string) =>
      `${what}: no se pudieron añadir, o no todos (Excel dijo ${why}). Todo lo demás está construido y el modelo funciona.`,
    notesAsComments: "Las notas necesitan ExcelApi 1.18; la explicación de cada bloque se añadió como comentario en su título.",
    gradientsPurpose:
      "El gradiente de la pérdida para cada peso, del último paso de entrenamiento. Un paso mueve cada peso en contra de su " +
      "gradiente: las celdas azules bajan y las rojas suben.",
    gradientNote: (name: string) => `Cuánto crece la pérdida al crecer cada celda de ${name}, promediado sobre el lote de entrenamiento.`,
    gradientsMoved: (sheet: string) =>
      `Los tamaños del modelo cambiaron desde la última vez que se escribieron los gradientes: ahora van a la hoja "${sheet}".`,
    chartNotStretched: (why: string) =>
      `No se pudo extender el gráfico de pérdida a los pasos nuevos (Excel dijo ${why}). Los pasos están en el registro.`,
    metaProblem: (sheet: string, what: string) =>
      `La hoja oculta ${sheet} ${what}; vuelve a construir el libro desde el panel para restaurarla.`,
    metaFormat: (format: string) => `no la escribió esta versión de Attention Lab (formato "${format}")`,
    metaMissing: (key: string) => `no tiene ${key}`,
    metaDamaged: (key: string) => `tiene ${key} dañado`,
    meta: {
      nothing: "nada",
      words: (n: number | undefined) => (n === undefined ? "palabras" : `${n} palabras`),
      style: (got: string) =>
        `style debería ser "cells" o "functions", el estilo de fórmulas con el que se construyó el libro, pero es ${got}`,
      preset: (got: string) => `preset debería nombrar la configuración con la que se construyó el modelo, pero es ${got}`,
      sheets: (got: string) => `sheets debería ser un objeto de nombres de hojas, pero es ${got}`,
      sheetName: (key: string, got: string) =>
        `sheets debería asociar cada hoja prevista con su nombre en el libro, pero "${key}" se asocia con ${got}`,
      names: (got: string) => `names debería ser un objeto de nombres del libro, pero es ${got}`,
      blockName: (key: string, got: string) =>
        `names debería asociar cada bloque con su nombre en el libro, pero "${key}" se asocia con ${got}`,
      created: (got: string) =>
        `created debería enumerar las hojas y los nombres que creó el complemento ({"sheets": [...], "names": [...]}), pero es ${got}`,
      seed: (max: number, got: string) => `seed debería ser un número entero de 0 a ${max}, pero es ${got}`,
      config: (got: string) => `config debería ser un objeto con los tamaños del modelo, pero es ${got}`,
      scaled: (got: string) => `config: scaled debería ser true o false, pero es ${got}`,
      targetLen: (got: string) => `config: targetLen debería ser un número entero de 0 a 512, pero es ${got}`,
      inConfig: (why: string) => `config: ${why}`,
      vocab: (words: string, got: string) => `vocab debería ser una lista de ${words}, pero es ${got}`,
      vocabSize: (words: string, got: number) => `vocab debería ser una lista de ${words} (config.vocabSize), pero tiene ${got}`,
      vocabWords: (i: number, got: string) => `vocab debería contener solo palabras, pero la palabra ${i} es ${got}`,
      vocabStart: (specials: string, got: string) => `vocab debería empezar por ${specials}, pero empieza por ${got}`,
      vocabTwice: (w: string, first: number, second: number) => `vocab tiene "${w}" dos veces (palabras ${first} y ${second})`,
    },
    metaUnusable: (sheet: string, problems: string) =>
      `La hoja oculta ${sheet} tiene una configuración que este complemento no puede usar: ${problems}; pulsa Construir en el ` +
      "panel para escribir un modelo nuevo y su configuración.",
    nameMissing: (name: string) =>
      `Falta el rango con nombre ${name}: vuelve a construir el libro o restaura el nombre (Fórmulas > Administrador de nombres).`,
    nameNotCells: (name: string, value: string) =>
      `El rango con nombre ${name} ya no apunta a celdas (es ${value}): se borraron su hoja o sus celdas. Vuelve a construir ` +
      "el libro, o haz que el nombre apunte otra vez al bloque (Fórmulas > Administrador de nombres).",
    wrongSize: (name: string, rows: number, cols: number, hasRows: number, hasCols: number, range: string) =>
      `${name} debería ser de ${rows} × ${cols}, pero el rango con nombre abarca ${hasRows} × ${hasCols} (${range}).`,
    needsNumber: (name: string, cell: string, holds: string) => `${name} necesita un número en ${cell}, pero ${holds}.`,
    needsBetween: (name: string, range: string, cell: string, v: number) =>
      `${name} necesita un número entre ${range} en ${cell}, pero contiene ${v}.`,
    moreNotNumbers: (n: number, name: string, range: string) => `…y ${n} celdas más de ${name} que no son números entre ${range}.`,
    isEmpty: "está vacía",
    holdsBoolean: (v: boolean) => `contiene ${v ? "VERDADERO" : "FALSO"}`,
    holdsError: (v: string) => `contiene el error ${v}`,
    holdsText: (v: string) => `contiene el texto "${v}"`,
    userName: (planned: string, actual: string) =>
      `Tu libro ya tiene un nombre ${planned}; el bloque de esta construcción se llama ${actual}, y tu ${planned} no cambia.`,
    userNames: (planned: string, actual: string, more: number, suffix: string) =>
      `Tu libro ya tiene los nombres ${planned}${more > 0 ? ` y ${more} más` : ""}; los bloques de esta construcción se llaman ` +
      `${actual}${more > 0 ? ", …" : ""} (con el sufijo ${suffix}), y tus nombres no cambian.`,
  },
  fn: {
    blankAsZero: "Excel de escritorio lee una celda en blanco como 0",
    empty: "vacío",
    nan: "NaN (no es un número)",
    theText: (v: string) => `el texto "${v}"`,
    theError: (v: string) => `el error ${v}`,
    dataType: (v: string) => `un tipo de datos (${v})`,
    typeOf: (v: string) => `un valor de tipo ${v}`,
    boolean: (v: boolean) => (v ? "VERDADERO" : "FALSO"),
    needsRange: (name: string) => `${name} está vacío; necesita un rango`,
    notARange: (name: string) => `${name} debería ser un rango: una lista de filas de celdas`,
    emptyRange: (name: string) => `${name} es un rango vacío`,
    tooManyRows: (name: string, rows: string, max: number) =>
      `${name} tiene ${rows} filas; solo se pueden calcular rápido ${max} posiciones como mucho`,
    tooManyCells: (name: string, rows: string, cols: string, cells: string, max: string) =>
      `${name} es de ${rows} × ${cols}, ${cells} celdas; solo se pueden calcular rápido ${max} como mucho`,
    notRectangular: (name: string, row: number, got: number, cols: number) =>
      `${name} no es rectangular: la fila ${row} tiene ${got} valores pero la fila 1 tiene ${cols}`,
    notFinite: (v: string) => `es ${v}; cada celda necesita un número finito`,
    notNumber: (v: string) => `contiene ${v} donde va un número`,
    atCell: (name: string, row: number, col: number, why: string) => `${name}, fila ${row}, columna ${col}, ${why}`,
    tooLongLine: (name: string, cells: string, max: number) =>
      `${name} tiene ${cells} celdas; solo se pueden calcular rápido ${max} posiciones como mucho`,
    notALine: (name: string, rows: number, cols: number, what: string) =>
      `${name} es de ${rows} × ${cols}; debería ser una fila o una columna de ${what}`,
    numbers: "números",
    words: "palabras",
    flags: "unos y ceros",
    wrongLength: (name: string, got: number, against: string, length: number) =>
      `${name} tiene ${got} valores pero ${against}; necesita ${length}`,
    atValue: (name: string, j: number, why: string) => `${name}, valor ${j}, ${why}`,
    atCellOf: (name: string, i: number, why: string) => `${name}, celda ${i}, ${why}`,
    needsWord: (v: string, blank: string) =>
      `es ${v}; cada celda necesita una palabra (usa <pad> para el relleno; ${blank}, así que escribe '0 para la palabra 0)`,
    notWord: (v: string) => `contiene ${v} donde va una palabra`,
    notFlag: (name: string, i: number, v: string) => `${name}, celda ${i}, es ${v}; debería ser 1 (visible) o 0 (oculta)`,
    allPadding: (name: string, blank: string) =>
      `${name} marca todas las posiciones como relleno (todas sus celdas son 0 o están en blanco; ${blank}); usa 1 para un token real`,
    twice: (name: string, w: string, first: number, second: number) =>
      `${name} tiene "${w}" dos veces, en las celdas ${first} y ${second}; cada palabra puede aparecer una sola vez`,
    atLeast: (min: string) => `de al menos ${min}`,
    fromTo: (min: string, max: string) => `de ${min} a ${max}`,
    whole: (name: string, range: string, got: string) => `${name} debería ser un número entero ${range}, pero es ${got}`,
    positive: (name: string, got: string, blank: string) =>
      `${name} debería ser un número mayor que 0, pero es ${got}${blank ? ` (${blank})` : ""}`,
    trueFalse: (name: string, got: string) => `${name} debería ser VERDADERO o FALSO, pero es ${got}`,
    singleCell: (name: string, rows: number, cols: number) =>
      `${name} debería ser una sola celda de texto, pero es un rango de ${rows} × ${cols}`,
    needsText: (name: string, v: string, example: string, blank: string) =>
      `${name} es ${v}; necesita un texto como "${example}" (${blank})`,
    notText: (name: string, got: string) => `${name} debería ser texto, pero es ${got}`,
    maskKind: (name: string, got: string) => `${name} debería ser "causal" o "none", pero es ${got}`,
    maskArg: (name: string, got: string) =>
      `${name} debería ser "causal", "none" o un rango de unos (visible) y ceros (oculta), pero es ${got}`,
    hidesAll: (name: string, blank: string) =>
      `${name} oculta todas las claves a todas las consultas (todas sus celdas son 0 o están en blanco; ${blank}); ` +
      `usa 1 para una clave visible y 0 para una oculta, u omite ${name}`,
    maskSize: (name: string, rows: number, cols: number, nq: number, nk: number) =>
      `${name} es de ${rows} × ${cols} pero hay ${nq} consultas y ${nk} claves; ` +
      `necesita ${nq} × ${nk} (una fila por consulta, una columna por clave), una fila de ${nk}, o "causal"`,
    maskCell: (name: string, row: number, col: number, v: string) =>
      `${name}, fila ${row}, columna ${col}, es ${v}; debería ser 1 (visible) o 0 (oculta)`,
    product: (b: string, rows: number, a: string, cols: number) => `${b} tiene ${rows} filas pero ${a} tiene ${cols} columnas`,
    work: (what: string, millions: string, max: string) =>
      `${what} necesita unos ${millions} millones de multiplicaciones y sumas; solo se pueden calcular rápido ${max} millones como mucho`,
    theResult: "el resultado",
    tooBig: (name: string, shape: string, cells: string, max: string) =>
      `${name} tendría ${shape}, ${cells} celdas; solo se pueden devolver ${max} como mucho`,
    overflow: (name: string, row: number, col: number, v: string) =>
      `${name} se desborda en la fila ${row}, columna ${col} (${v}); las entradas son demasiado grandes`,
    bug: (fn: string, text: string) => `ATTN.${fn} no pudo calcular esto: ${text || "error desconocido"}`,
    noModel: "este libro aún no tiene un modelo de Attention Lab: abre el panel y construye la configuración gpt",
    noWords: "sentence no tiene palabras",
    tooManyWords: (n: number, max: number) => `sentence tiene ${n} palabras; solo se pueden calcular rápido ${max} posiciones como mucho`,
    embedRows: (rows: number, words: number) =>
      `embedding tiene ${rows} filas pero vocab tiene ${words} palabras; necesita una fila por palabra`,
    scoreWidth: (k: number, q: number) =>
      `K tiene ${k} columnas pero Q tiene ${q}; una puntuación es el producto escalar de una fila de Q y una fila de K`,
    keyWidth: (k: number, q: number) => `Wk tiene ${k} columnas pero Wq tiene ${q}; las consultas y las claves necesitan la misma anchura`,
    attentionOf: (x: string, weights: string[]) => {
      const [last, ...rest] = [...weights].reverse();
      return `la atención de X (${x}) con ${rest.length ? `${rest.reverse().join(", ")} y ${last}` : last}`;
    },
    headSplit: (h: number, name: string, cols: number) =>
      `heads es ${h} pero ${name} tiene ${cols} columnas, que no se reparten en ${h} cabezas iguales`,
    woRows: (rows: number, cols: number) => `Wo tiene ${rows} filas pero Wv tiene ${cols} columnas (las cabezas una al lado de otra)`,
    hasColumns: (name: string, cols: number) => `${name} tiene ${cols} columnas`,
    hasRows: (name: string, rows: number) => `${name} tiene ${rows} filas`,
    nIs: (n: number) => `n es ${n}`,
    vocabColumns: (name: string, cols: number, words: number) =>
      `${name} tiene ${cols} columnas pero vocab tiene ${words} palabras; necesita una columna por palabra`,
    targetRows: (words: number, rows: number) =>
      `targets tiene ${words} palabras pero logits tiene ${rows} filas; necesita un objetivo por fila`,
    allPad: (pad: string) => `todos los objetivos de targets son ${pad}, así que no hay pérdida que promediar`,
    probsHint: "ATTN.PROBS convierte logits en probabilidades",
    negative: (i: number, j: number, v: number, hint: string) =>
      `probs, fila ${i}, columna ${j}, es ${v}; una probabilidad no puede ser negativa (${hint})`,
    allZero: (i: number, blank: string) => `la fila ${i} de probs es toda 0 (${blank}); cada fila necesita probabilidades que sumen 1`,
    sumNotOne: (i: number, sum: number, hint: string) =>
      `la fila ${i} de probs suma ${sum}; cada fila necesita probabilidades que sumen 1 (${hint})`,
    diceValue: (i: number, x: number) =>
      `el valor ${i} de dice es ${x}; cada uno debería ser al menos 0 y menor que 1, como da ALEATORIO()`,
    notGpt: (stacks: string) =>
      `ATTN.GENERATE continúa un texto, así que necesita un modelo solo decodificador (gpt); este libro tiene ${stacks}`,
    promptTooLong: (n: number, room: number) => `prompt tiene ${n} palabras pero este modelo admite como mucho ${room} después de <s>`,
    promptMarker: (i: number, w: string) =>
      `la palabra ${i} de prompt es "${w}", una marca que el modelo añade por sí mismo: escribe solo palabras`,
    tokensCell: (i: number) => `tokens, celda ${i}`,
    targetsCell: (i: number) => `targets, celda ${i}`,
    promptWord: (i: number) => `palabra ${i} de prompt`,
  },
  /** Los mensajes de las comprobaciones del modelo (el código y los argumentos de un ModelError). */
  model: {
    wholeFrom: (key: string, min: number, max: number, v: unknown) =>
      `${key} debería ser un número entero de ${min} a ${max}, pero es ${typeof v === "string" ? `"${v}"` : String(v)}`,
    kind: (kinds: string, v: string) => `kind debería ser uno de ${kinds}, pero es "${v}"`,
    normalization: (v: string) => `normalization debería ser "softmax" o "none", pero es "${v}"`,
    paramMissing: (name: string, rows: number, cols: number) => `falta el parámetro ${name} (${rows} × ${cols})`,
    paramShape: (name: string, rows: number, cols: number, hasRows: number, hasCols: number) =>
      `${name} debería ser de ${rows} × ${cols}, pero es de ${hasRows} × ${hasCols}`,
    paramNotFinite: (name: string, v: number, row: number, col: number) =>
      `${name} debería contener números finitos, pero tiene ${v} en la fila ${row}, columna ${col}`,
    unknownPreset: (name: string, names: string) => `la configuración "${name}" no existe; elige una de ${names}`,
    cannotLearn: (preset: string, task: string, why: Refusal) =>
      `la configuración ${preset} no puede aprender la tarea ${task}: ` +
      {
        encoderText: `predice un token por posición del origen; la tarea ${task} es un texto que continuar y necesita la configuración gpt`,
        encoderLengths: `predice un token por posición del origen; la tarea ${task} necesita la configuración encoder-decoder`,
        pairsText:
          `convierte un origen en un objetivo; la tarea ${task} es un texto que continuar, sin objetivo, y necesita la ` +
          "configuración gpt",
        gptPairs:
          `continúa un texto; la tarea ${task} convierte un origen en un objetivo y necesita la configuración encoder o ` +
          "encoder-decoder",
      }[why],
    unknownTask: (name: string, names: string) => `La tarea "${name}" no existe; las tareas son: ${names}`,
    taskWhole: (label: string, lo: number, hi: number, v: number) => `${label} debe ser un número entero de ${lo} a ${hi}, pero es ${v}`,
    tooFewSequences: (count: number, symbols: number, total: number, length: number) =>
      `Se pidieron ${count} ejemplos (de entrenamiento y reservados), pero ${symbols} símbolos solo forman ${total} ` +
      `secuencias distintas de longitud ${length}`,
    unknownToken: (word: string, where: WordPlace | undefined, shown: string, more: boolean) =>
      `"${word}" no está en el vocabulario${where ? ` (${lugar(where)})` : ""}; palabras conocidas: ${shown}${more ? ", …" : ""}`,
    badWord: (w: string) => `Una palabra del vocabulario no puede estar vacía ni tener espacios, pero es "${w}"`,
    tokenId: (id: number, size: number) =>
      `El id de token ${id} está fuera de rango: el vocabulario tiene ${size} tokens (ids de 0 a ${size - 1})`,
    sequenceLength: (length: number) => `La longitud de una secuencia debe ser un número entero ≥ 0, pero es ${length}`,
    sentenceTooLong: (words: number, limit: number, places?: [number, number]) =>
      `la frase tiene ${words} tokens, pero este modelo admite como mucho ${limit}` +
      (places ? ` (${places[0]} posiciones, ${places[1]} de ellas para <s>/</s>)` : ""),
    positions: (v: number) => `positions debería ser un número entero ≥ 0, pero es ${v}`,
    dims: (v: number) => `dims debería ser un número entero ≥ 1, pero es ${v}`,
    peWidth: (dModel: number, v: number) => `el ancho de la codificación debería estar entre 0 y ${dModel}, pero es ${v}`,
    normShape: (name: string, which: "gamma" | "beta", d: number, shape: string) =>
      `${which} de ${name} debería ser de 1 × ${d}, pero es de ${shape}`,
    targetCount: (targets: number, rows: number) => `hay ${targets} objetivos pero ${rows} filas de logits`,
    targetId: (target: number, position: number, tokens: number) =>
      `el objetivo ${target} en la posición ${position} está fuera de los ${tokens} tokens`,
    matrixSize: (rows: number, cols: number) => `Una matriz necesita tamaños enteros no negativos, pero es de ${rows} × ${cols}`,
    ragged: (name: string, row: number, got: number, cols: number) =>
      `la fila ${row} de ${name} tiene ${got} valores pero la fila 1 tiene ${cols}`,
    productRows: (b: string, rows: number, a: string, cols: number) => `${b} tiene ${rows} filas pero ${a} tiene ${cols} columnas`,
    productCols: (b: string, bCols: number, a: string, aCols: number) => `${b} tiene ${bCols} columnas pero ${a} tiene ${aCols} columnas`,
    addShapes: (a: string, aShape: string, b: string, bShape: string) =>
      `${a} es de ${aShape} pero ${b} es de ${bShape}; deben coincidir para sumarse`,
    rowShape: (name: string, cols: number, shape: string) => `${name} debería ser de 1 × ${cols}, pero es de ${shape}`,
    tableRow: (id: number, rows: number) => `el id de token ${id} está fuera de las ${rows} filas de la tabla`,
    padFlags: (flags: number, keys: number) => `las marcas de relleno cubren ${flags} claves pero hay ${keys}`,
    maskShape: (rows: number, cols: number, scores: string) => `la máscara es de ${rows} × ${cols} pero las puntuaciones son de ${scores}`,
    keyValueRows: (k: number, v: number) => `K tiene ${k} filas pero V tiene ${v}; ambas necesitan una fila por clave`,
    queryKeyCols: (q: number, k: number) => `Q tiene ${q} columnas pero K tiene ${k}; una puntuación es el producto escalar de ambas`,
    maskQueries: (rows: string, keys: number, q: number, k: number) =>
      `la máscara es de ${rows} × ${keys} pero Q tiene ${q} filas y K tiene ${k}`,
    nothingToRun: (what: Stream) => (what === "source" ? "no hay ningún origen que procesar" : "no hay ninguna entrada del decodificador"),
    streamLength: (what: Stream, n: number, max: number) =>
      `${what === "source" ? "el origen" : "la entrada del decodificador"} tiene ${n} tokens, pero este modelo admite de 1 a ${max}`,
    unevenLengths: (what: Stream, s: number, n: number, first: number) =>
      `${what === "source" ? "el origen" : "la entrada del decodificador"} ${s} tiene ${n} tokens pero ` +
      `${what === "source" ? "el origen" : "la entrada del decodificador"} 1 tiene ${first}; rellénalos hasta una misma longitud`,
    idRange: (i: number, what: Stream, id: number, max: number) =>
      `el token ${i} ${what === "source" ? "del origen" : "de la entrada del decodificador"} tiene el id ${id}, ` +
      `pero los ids van de 0 a ${max}`,
    noDecoderInput: () =>
      "un modelo codificador-decodificador necesita una entrada del decodificador (el objetivo desplazado a la derecha tras <s>)",
    decoderInputs: (sources: number, inputs: number) => `hay ${sources} orígenes pero ${inputs} entradas del decodificador`,
    emptyBatch: () => "el lote está vacío: no hay nada con que entrenar",
    exampleTargets: (i: number, targets: number, want: number) =>
      `el ejemplo ${i} tiene ${targets} objetivos, pero el modelo predice ${want} posiciones`,
    allPad: () => "todos los objetivos del lote son <pad>: no hay nada que aprender",
    exampleDecoderInput: (i: number) =>
      `el ejemplo ${i} no tiene entrada del decodificador; un modelo codificador-decodificador necesita el objetivo desplazado ` +
      "a la derecha tras <s>",
    greedyKind: (kind: string) => `la decodificación voraz de un origen necesita un modelo codificador-decodificador, no ${kind}`,
    temperature: (v: number) => `la temperatura debería ser un número mayor que 0, pero es ${v}`,
    dice: (position: number, v: number | undefined) =>
      `el muestreo necesita un valor de dado desde 0 hasta 1 (sin incluirlo) para la posición ${position}, pero es ${v}`,
    generateKind: (kind: string) => `generar texto necesita un modelo solo decodificador, no ${kind}`,
    promptTooLong: (n: number, room: number) => `el comienzo tiene ${n} tokens, pero este modelo admite como mucho ${room} después de <s>`,
    noProbability: () => "una fila de probabilidades necesita al menos un valor mayor que 0",
    noWeight: () => "una fila de pesos necesita al menos un valor mayor que 0",
    seed: (v: number) => `Una semilla debe ser un número finito, pero es ${v}`,
    optimizer: (v: string) => `optimizer debería ser "sgd" o "adam", pero es "${v}"`,
    learningRate: (v: number) => `la tasa de aprendizaje debería ser un número positivo, pero es ${v}`,
    unitInterval: (key: string, v: number) => `${key} debería estar en [0, 1), pero es ${v}`,
    clipNorm: (v: number) => `clipNorm debería ser un número positivo, pero es ${v}`,
  },
  exact: {
    greedy: () => "decodificación voraz",
    continuation: (words: number) => `continuación voraz de las ${words} primeras palabras de cada texto`,
  },
  train: {
    edited: (cells: string, step: number | undefined, one: boolean) =>
      `Cambiaste ${cells} durante el entrenamiento: se detuvo${step === undefined ? "" : ` tras el paso ${step}`} ` +
      `y conservó ${one ? "tu valor" : "tus valores"}.`,
    edit: (name: string, cell: string, before: string, after: string) => `${name} (${cell}) de ${before} a ${after}`,
    moreCells: (n: number) => ` y ${n} celdas más`,
    empty: "vacía",
    fallback: (reason: string) =>
      `El entrenamiento se ejecuta en el hilo del panel: no se pudo iniciar el proceso de entrenamiento en segundo plano (${reason}).`,
    noExamples: "no hay ejemplos de entrenamiento",
    divergeFactor: (v: number) => `divergeFactor debería ser un número mayor que 1, pero es ${v}`,
    wholeAtLeastOne: (what: string, v: number) => `${what} debería ser un número entero ≥ 1, pero es ${v}`,
    steps: "el número de pasos",
    batchSize: "el tamaño del lote",
    allPad: "todos los objetivos de todos los ejemplos de entrenamiento son <pad>: no hay nada que aprender",
    incomplete: "el paso no terminó",
    nothingToUndo: "no hay nada que deshacer",
    noHeldOut: "no hay ejemplos reservados con los que evaluar",
    lossBecame: (loss: number) => `la pérdida se volvió ${loss}`,
    lossRose: (loss: string, factor: number, lowest: string) =>
      `la pérdida subió a ${loss}, más de ${factor} × la pérdida más baja hasta ahora, ${lowest}`,
    gradNorm: (v: number) => `la norma del gradiente se volvió ${v}`,
    updateMade: (name: string, value: number, row: number, col: number) =>
      `la actualización dejó ${name} en ${value} en la fila ${row}, columna ${col}`,
    beyond: (limit: string) => `, más allá de ±${limit}, el mayor peso que el libro puede volver a leer`,
    keptStart: "los pesos del comienzo de esta ejecución",
    keptStep: (step: number, loss: string) => `los pesos tras el paso ${step} (pérdida ${loss})`,
    undoFurther: " Si el paso anterior a esta ejecución los empeoró, Deshacer retrocede más.",
    diverged: (step: number, what: string, kept: string, undo: string) =>
      `El entrenamiento divergió en el paso ${step}: ${what}. Se detuvo y volvió a escribir ${kept}; prueba con una tasa de ` +
      `aprendizaje menor.${undo}`,
    batchCount: (n: number) => `un muestreador de lotes necesita al menos un ejemplo, pero tiene ${n}`,
    batchSeed: (v: number) => `la semilla de los lotes debería ser un número finito, pero es ${v}`,
    dutyCycle: (v: number) => `el ciclo de trabajo debería ser una fracción en (0, 1], pero es ${v}`,
    workerFailed: (reason: string) => `el proceso de entrenamiento en segundo plano falló: ${reason}`,
    workerScript: "no se pudo cargar su script",
    workerClosed: "el proceso de entrenamiento en segundo plano se cerró",
  },
  forms: {
    whole: (label: string, lo: number, hi: number, got: string) =>
      `El campo ${label} debe ser un número entero de ${lo} a ${hi}${got ? `, no "${got}"` : ""}.`,
    dModel: "d_model",
    heads: "Cabezas",
    dK: "d_k",
    layers: "Capas",
    seed: "Semilla",
    steps: "Pasos",
    preset: (names: string) => `Elige una de las configuraciones: ${names}.`,
    task: (names: string) => `Elige una de las tareas: ${names}.`,
    style: 'Elige "cells" o "functions".',
    optimizer: 'Elige "adam" o "sgd".',
    lr: (max: number, got: string) =>
      `La tasa de aprendizaje debería ser un número mayor que 0 y como mucho ${max}${got ? `, no "${got}"` : ""}.`,
    marker: (i: number, w: string) => `La palabra ${i} es "${w}", una marca que el modelo añade por sí mismo: escribe solo palabras.`,
    unknownWord: (w: string, i: number, task: string, shown: string) =>
      `"${w}" (palabra ${i}) no es una palabra de la tarea ${task}. Sus palabras: ${shown}`,
    promptTooLong: (n: number, room: number) =>
      `El comienzo tiene ${n} palabras, pero este modelo admite como mucho ${room} (su fila Tokens es <s> y ${room} más).`,
    sentenceTooLong: (n: number, room: number) => `La frase tiene ${n} palabras, pero este modelo lee como mucho ${room}.`,
  },
  explain: {
    heading: "Explicar esta celda",
    intro:
      "Selecciona cualquier celda del modelo en el libro: aquí verás qué calcula, a partir de qué celdas y con los números que " +
      "contiene ahora.",
    noBlock: (key: string) => `el plan no tiene el bloque ${key}`,
    nothing: "Selecciona una celda de los bloques del modelo para ver qué calcula.",
    notModel: (address: string) => `${address} no está en un bloque del modelo: selecciona una celda dentro de uno de sus bloques.`,
    noModel: "Construye primero un modelo: después selecciona cualquiera de sus celdas para ver qué calcula.",
    failed: (why: string) => `No se pudieron leer la celda y sus entradas: ${why}`,
    where: (block: string, entry: string) => (entry ? `${block}, ${entry}` : block),
    row: (label: string) => `fila '${label}'`,
    column: (label: string) => `columna '${label}'`,
    rowNumber: (n: number) => `fila ${n}`,
    columnNumber: (n: number) => `columna ${n}`,
    rows: (from: number, to: number) => `filas ${from}–${to}`,
    columns: (from: number, to: number) => `columnas ${from}–${to}`,
    whole: "el bloque entero",
    empty: "(vacía)",
    entry: (parts: string[]) => parts.join(", "),
    inputAt: (block: string, part: string) => `${block}, ${part}`,
    value: (v: string) => `Contiene ${v}.`,
    noNumber: (v: string) => `Contiene ${v}, no un número: puede que Excel aún esté calculando o que una celda que lee muestre un error.`,
    mismatch: (shown: string, recomputed: string) =>
      `Las entradas dan ${recomputed}, pero la celda muestra ${shown}: puede que Excel aún no haya recalculado o que se haya ` +
      "editado la fórmula.",
    inputsHeading: "Sus entradas",
    noInputs: "No lee ninguna otra celda.",
    selectInput: (where: string) => `Seleccionar ${where}`,
    tour: (step: number, title: string) => `La visita guiada lo explica en el paso ${step}, "${title}".`,
    tourButton: (step: number) => `Ir al paso ${step} de la visita`,
    noTour: "La visita guiada no tiene ningún paso sobre este bloque; su nota (en la celda del título del bloque) lo explica.",
    training: {
      weight:
        "Un peso entrenado. Cada paso de entrenamiento lo mueve un poco en contra de su gradiente (la dirección que reduce la " +
        "pérdida), así que entrena y míralo cambiar; también puedes escribir un valor propio, y el entrenador parte de él.",
      gradient: (g: string) =>
        `El gradiente de esta celda en el último paso de entrenamiento es ${g} (hoja Gradients): ` +
        "un paso baja el peso cuando es positivo y lo sube cuando es negativo.",
      noGradient: "Entrena un paso para ver aquí su gradiente, y también en la hoja Gradients.",
    },
    ops: {
      typed: "Un valor que escribes tú: los bloques que lo leen se recalculan cuando lo cambias.",
      vocabulary: (n: number, word: string) => `Palabra ${n} del vocabulario, "${word}": las palabras que puede contener Tokens.`,
      weight: (param: string) => `Un peso de ${param}, un valor sin más (sin fórmula).`,
      data: (example: number, word: number) =>
        `Palabra ${word} del ejemplo de entrenamiento ${example}. El entrenamiento lee estas filas; edítalas y vuelve a entrenar.`,
      start: "El token de inicio <s>: toda secuencia que lee el decodificador empieza por él.",
      typedToken: (word: string) => `Un token que escribes tú: "${word}". Todos los bloques del modelo se recalculan a partir de él.`,
      fedBack: (position: number, word: string) =>
        `El token elegido después de la posición ${position} (Predicted): "${word}". El modelo vuelve a leer su propia elección, ` +
        "palabra a palabra.",
      fixedToken: (word: string) =>
        `"${word}", escrito al construir el libro: con las fórmulas de bloque ATTN.* la elección no puede volver a la entrada en ` +
        "vivo, así que escribe aquí la palabra de Predicted para avanzar.",
      vocabRow: (word: string, row: string) =>
        `"${word}" es la fila ${row} del vocabulario (Vocab); la fila del embedding que toma es la misma.`,
      unknownWord: (word: string) =>
        `"${word}" no está en el vocabulario, así que aquí aparece un error: usa una palabra de la lista Vocab.`,
      visible: (row: string, seen: boolean) =>
        seen
          ? `La fila ${row} del vocabulario no es <pad> (la fila 1): el token es visible como clave, 1.`
          : `La fila ${row} del vocabulario es <pad>: ninguna consulta puede mirarla, 0.`,
      posEnc: (fn: "sin" | "cos", p: number, k: number, d: number, v: string) => `${fn}(${p} / 10000^(${k}/${d})) = ${v}.`,
      noPosEnc: (d: number) => `0: solo las primeras ${d} columnas llevan la codificación posicional.`,
      embed: (word: string, row: string, e: string, pe: string, v: string) =>
        `El embedding de "${word}" (fila ${row} de Embedding) más la codificación de esta posición: ${e} + ${pe} = ${v}.`,
      linear: (rowOf: string, colOf: string, terms: string, v: string) => `(${rowOf}) · (${colOf}): ${terms} = ${v}.`,
      linearBias: (rowOf: string, colOf: string, terms: string, b: string, v: string) =>
        `(${rowOf}) · (${colOf}) + sesgo: ${terms} + ${b} = ${v}.`,
      scores: (q: string, k: string, terms: string, scale: string, v: string) =>
        `Cuánto encaja la consulta ${q} con la clave ${k}: el producto escalar de sus filas de Q y K` +
        `${scale ? `, dividido entre ${scale}` : ""}: (${terms})${scale ? ` / ${scale}` : ""} = ${v}.`,
      later: (q: string, k: string) => `0: la consulta ${q} no puede mirar la posición posterior ${k} (autoatención enmascarada).`,
      padKey: (k: string) => `0: la clave ${k} es <pad>, que ninguna consulta mira.`,
      softmax: (row: string, numerator: string, sum: string, v: string) =>
        `Softmax de la fila ${row} de las puntuaciones sobre las claves que puede ver: ${numerator} / (${sum}) = ${v}. ` +
        "Cada fila de pesos suma 1.",
      noSoftmax: (v: string) => `El softmax está desactivado, así que el peso es la puntuación sin más: ${v}.`,
      weightedSum: (row: string, terms: string, v: string) =>
        `La media ponderada de las filas de valores, con la fila ${row} de los pesos de atención: ${terms} = ${v}.`,
      concat: (head: number, col: number, v: string) =>
        `La salida de la cabeza ${head}, columna ${col}, colocada junto a las de las demás cabezas: ${v}.`,
      residual: (a: string, b: string, v: string) =>
        `La entrada del bloque más la salida de la subcapa (la conexión residual): ${a} + ${b} = ${v}.`,
      layerNorm: (x: string, mean: string, variance: string, gamma: string, beta: string, v: string) =>
        `LayerNorm de la fila: (${x} − media ${mean}) / √(varianza ${variance} + 0.00001) × γ ${gamma} + β ${beta} = ${v}.`,
      hidden: (terms: string, b: string, v: string) => `ReLU de fila · columna + sesgo: max(0, ${terms} + ${b}) = ${v}.`,
      probs: (numerator: string, sum: string, t: string, v: string) =>
        `Softmax de la fila de logits${t ? ` dividida entre la temperatura (Temperature) ${t}` : ""}: ${numerator} / (${sum}) = ${v}.`,
      cumulative: (terms: string, v: string) =>
        "La suma acumulada de las probabilidades de esta fila hasta esta palabra: la suma anterior más su propia probabilidad, " +
        `${terms} = ${v}.`,
      cumulativeRow: (terms: string, v: string) =>
        `Las probabilidades de esta fila sumadas desde la primera palabra hasta esta: ${terms} = ${v}.`,
      argmax: (word: string, p: string) => `La palabra con el mayor valor en la fila de esta posición: "${word}" (${p}).`,
      sampled: (dice: string, word: string) =>
        `El muestreo está activado: la primera palabra cuya probabilidad acumulada alcanza el valor Dice ${dice} × el total de la ` +
        `fila: "${word}".`,
      copy: (source: string) => `Una copia de ${source}, la misma celda por referencia, así que sigue al bloque que muestra.`,
      note: "Su nota lo explica:",
      text: {
        predicted: (block: string, words: string) =>
          `Las palabras predichas (${block}) unidas en una frase con espacios, hasta el token de fin </s>: "${words}".`,
        generated: (block: string, words: string) =>
          `El texto tras <s> (${block}: tu comienzo y luego las palabras que eligió el modelo), unido con espacios hasta el token ` +
          `de fin </s>: "${words}".`,
      },
      textEnd: (stop: string, position: number) =>
        `El ${stop} de la posición ${position} lo termina; las palabras que siguen quedan fuera.`,
      textNoEnd: (n: number) => `Aún no hay </s>, así que entran las ${n} palabras.`,
      textEmpty: (tokens: string) =>
        `Todas las celdas de ${tokens} están vacías, así que no hay frase que traducir: escribe una en ${tokens}.`,
      log: {
        step: (step: string) =>
          `El paso de entrenamiento ${step}: el entrenador escribe una fila así tras cada paso que da (Entrenar en el panel); ` +
          "el gráfico de la pérdida junto al registro dibuja las filas.",
        loss: (step: string, v: string) =>
          `La pérdida en el paso ${step}: la entropía cruzada media sobre la hoja Data, ${v}, medida con los pesos con que ` +
          "empezó ese paso y escrita por el entrenador tras él. El gráfico de la pérdida junto al registro la dibuja; cuanto " +
          "más baja, mejor.",
        accuracy: (step: string, v: string) =>
          `La parte de las palabras objetivo que el modelo acertó en el paso ${step}, con los mismos pesos que la pérdida: ${v}. ` +
          "La escribió el entrenador tras el paso.",
        seconds: (step: string, v: string) =>
          `Segundos desde el comienzo del entrenamiento hasta el final del paso ${step}: ${v}, escritos por el entrenador tras el paso.`,
      },
      logEmpty:
        "Vacía hasta que entrenes: cada paso de entrenamiento (Entrenar en el panel) escribe aquí una fila, " +
        "y el gráfico de la pérdida las dibuja.",
      check: (fn: string, of: string, reads: string, v: string, cells: string, diff: string) =>
        `${fn} calcula ${of} en una sola fórmula a partir de los mismos bloques (${reads}), para comprobar las fórmulas de celda ` +
        `con las funciones del complemento: ${v} aquí, ${cells} en ${of}, una diferencia de ${diff}.`,
      maxDiff: (n: number, v: string, check: string, of: string) =>
        "La mayor diferencia entre las comprobaciones ATTN.* y las fórmulas de celda, en " +
        `${plural(n, "bloque comprobado", "bloques comprobados")}: ` +
        `${v}, entre ${check} y ${of}. Algo cerca de 1e-15 es redondeo; un valor grande indica una fórmula o un peso desajustado.`,
      switchRead: (of: string, typed: string, read: string) =>
        `Cómo se lee ${of}: contiene ${typed}, así que se lee "${read}". Los bloques que leen el interruptor usan esta celda.`,
      temperatureRead: (of: string, typed: string) =>
        `Cómo se lee ${of}: ${typed}, un número mayor que 0, así que las probabilidades dividen los logits entre él.`,
      badRead: (of: string, typed: string) =>
        `${of} contiene ${typed}, que no puede usar, así que aquí sale un aviso y los bloques que lo leen muestran #N/A: ` +
        "escribe TRUE o FALSE en un interruptor, un número mayor que 0 en la temperatura.",
      inputOk: (tokens: string, ids: string) =>
        `OK: todas las palabras de ${tokens} están en el vocabulario (cada una tiene fila en ${ids}).`,
      inputEmpty: (tokens: string) =>
        `Todas las celdas de ${tokens} están vacías, así que la salida no significa nada: escribe una frase en ${tokens}.`,
      inputUnknown: (word: string, position: number, ids: string) =>
        `La palabra "${word}" de la posición ${position} no está en el vocabulario, así que ${ids} muestra #N/A ahí: ` +
        "usa una palabra de la lista del vocabulario de la hoja Input.",
    },
  },
  selection: {
    embeddingLabel: "el embedding",
    useSentence: "Usar la selección como frase",
    useEmbedding: "Usar la selección como embedding",
    forget: "Olvidar",
    sentenceHintLinked: (where: string) =>
      `De tus celdas ${where}: las celdas de Tokens de la hoja Overview hacen referencia a ellas, así que al editar tu frase ` +
      "cambia el modelo. Tu hoja se queda exactamente como está.",
    embeddingHintLinked: (where: string, rows: number, cols: number) =>
      `Embedding: ${rows} × ${cols} números de ${where}, que Construir copia en la hoja Input. ` +
      "El entrenamiento cambia la copia, nunca tus celdas.",
    reading: "Leyendo las celdas seleccionadas…",
    severalAreas:
      "Selecciona un solo bloque de celdas: la selección tiene varias áreas (o no son celdas, como un gráfico). " +
      "Se esperaba una fila o una columna de palabras, una palabra por celda.",
    ourSheet: (sheet: string) =>
      `La selección está en la hoja ${sheet}, que escribió Attention Lab: selecciona la frase en una hoja tuya ` +
      "(una frase escrita en la hoja Overview ya es la entrada del modelo).",
    notALine: (where: string, rows: number, cols: number) =>
      `Se esperaba una fila o una columna de palabras, una palabra por celda, pero ${where} tiene ${rows} filas × ${cols} columnas.`,
    empty: (where: string) => `Se esperaban palabras, una por celda, pero ${where} está vacío.`,
    blankBefore: (cell: string) => `Se esperaba que la frase empezara en la primera celda seleccionada, pero ${cell} está vacía.`,
    gap: (cell: string, before: string) =>
      `Se esperaba una palabra en cada celda hasta la última, pero ${cell} está vacía (la frase sigue después, en ${before}).`,
    number: (cell: string, value: string) => `Se esperaba una palabra en ${cell}, pero contiene el número ${value}.`,
    boolean: (cell: string, value: string) => `Se esperaba una palabra en ${cell}, pero contiene ${value}.`,
    error: (cell: string, value: string) => `Se esperaba una palabra en ${cell}, pero muestra el error ${value}.`,
    twoWords: (cell: string, value: string) =>
      `Se esperaba una sola palabra en ${cell}, pero contiene "${value}": pon cada palabra en su propia celda.`,
    special: (cell: string, value: string) =>
      `${cell} contiene "${value}", una marca que el modelo añade por sí mismo (${SPECIALS.join(", ")}): selecciona solo palabras.`,
    tooMany: (words: number, room: number, prompt: boolean) =>
      prompt
        ? `La selección tiene ${plural(words, "palabra", "palabras")}, pero este modelo admite un comienzo de como mucho ${room} ` +
          `(su fila Tokens es <s> y ${room} más): selecciona menos palabras o construye con una tarea más larga.`
        : `La selección tiene ${plural(words, "palabra", "palabras")}, pero este modelo lee como mucho ${room}: selecciona menos palabras.`,
    trailing: (n: number) =>
      n === 1
        ? " La celda vacía después de la última palabra se deja fuera."
        : ` Las ${n} celdas vacías después de la última palabra se dejan fuera.`,
    sentencePicked: (words: number, where: string, trailing: string) =>
      `Se ${words === 1 ? "tomó" : "tomaron"} ${plural(words, "palabra", "palabras")} de ${where} como frase.${trailing} ` +
      "Pulsa Construir: las celdas de Tokens de la hoja Overview harán referencia a tus celdas, y tu hoja se queda como está.",
    notNumber: (cell: string, value: string | undefined) =>
      value === undefined
        ? `Se esperaba un número en cada celda del embedding, pero ${cell} está vacía.`
        : `Se esperaba un número en cada celda del embedding, pero ${cell} contiene ${value}.`,
    embeddingPicked: (rows: number, cols: number, where: string, expected: string) =>
      `Se tomaron ${rows} × ${cols} números de ${where} como embedding. ${expected} Construir los copia en la hoja Input: ` +
      "el entrenamiento cambia la copia, nunca tus celdas.",
    embeddingExpects: (rows: number, cols: number) => `Con los campos como están ahora, Construir espera ${rows} × ${cols}.`,
    embeddingShape: (where: string, rows: number, cols: number, vocab: number, dModel: number) =>
      `El embedding de ${where} tiene ${rows} filas × ${cols} columnas, pero este modelo necesita ${vocab} × ${dModel}: una fila ` +
      `por palabra del vocabulario (${vocab}, contando las especiales y las palabras nuevas de tu frase) y d_model (${dModel}) columnas.`,
    rereadFailed: (where: string, why: string) => `No se pudieron volver a leer tus celdas ${where}: ${why}`,
    added: (words: readonly string[]) =>
      words.length === 1
        ? `1 palabra de tu frase no está en los datos de la tarea (${quoted(words)}) y se añadió al vocabulario: su fila del ` +
          "embedding es aleatoria, y el entrenamiento la deja así, ya que ningún ejemplo la usa."
        : `${words.length} palabras de tu frase no están en los datos de la tarea (${quoted(words)}) y se añadieron al vocabulario: ` +
          "sus filas del embedding son aleatorias, y el entrenamiento las deja así, ya que ningún ejemplo las usa.",
    allKnown: "Todas las palabras de tu frase están en los datos de la tarea.",
    builtLinked: (where: string) =>
      `Las celdas de Tokens de la hoja Overview hacen referencia a ${where}: edita allí tu frase y el modelo la sigue.`,
    builtEmbedding: (where: string) => `El embedding se copió de ${where} a la hoja Input; tus celdas no han cambiado.`,
    tokensTitle: (where: string) => `Tokens (de tus celdas ${where}: edítalas allí)`,
    tokensNote: (where: string) =>
      `Estas celdas hacen referencia a tu frase en ${where}, una palabra por celda: cambia allí una palabra y todos los bloques ` +
      "se recalculan. Una celda después de la última palabra está vacía (<pad>) y se puede escribir en ella.",
    embeddingTitle: (where: string) => `Embedding E (una fila por palabra; copiado de ${where})`,
    embeddingNote: (where: string) =>
      `Copiado de tus celdas ${where} al construir el modelo. El entrenamiento cambia estos números, nunca tus celdas; ` +
      "cada fila es el vector de una palabra del vocabulario.",
  },
};
