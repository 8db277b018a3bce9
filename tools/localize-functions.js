// The custom functions' metadata in another language, as Microsoft's "Localize
// custom functions" asks: the same JSON (ids, names, types and parameters as
// the JSDoc of src/functions/functions.ts makes them), with each function's
// and parameter's description taken from the language's table
// (src/i18n/functions.<lang>.json). The manifest points Office at it with an
// <Override Locale="…"> of Functions.Metadata.Url. Names stay: formulas keep
// working when a workbook moves between languages.

/** Functions.json with the table's descriptions; throws, naming each one, when the table and the functions differ. */
function localizeFunctions(metadata, table, lang) {
  const problems = [];
  const ids = new Set(metadata.functions.map((f) => f.id));
  for (const id of Object.keys(table)) if (!ids.has(id)) problems.push(`${id} is in the ${lang} table but is no function`);
  const functions = metadata.functions.map((f) => {
    const entry = table[f.id];
    if (!entry) {
      problems.push(`${f.id} has no ${lang} description`);
      return f;
    }
    const names = new Set(f.parameters.map((p) => p.name));
    for (const name of Object.keys(entry.parameters ?? {}))
      if (!names.has(name)) problems.push(`${f.id} has no parameter ${name}, which the ${lang} table describes`);
    if (!entry.description) problems.push(`${f.id} has no ${lang} description`);
    const parameters = f.parameters.map((p) => {
      const description = entry.parameters?.[p.name];
      if (!description) problems.push(`${f.id}'s parameter ${p.name} has no ${lang} description`);
      return { ...p, description };
    });
    return { ...f, description: entry.description, parameters };
  });
  if (problems.length > 0) throw new Error(`functions.${lang}.json and the functions differ:\n  ${problems.join("\n  ")}`);
  return { ...metadata, functions };
}

module.exports = { localizeFunctions };
