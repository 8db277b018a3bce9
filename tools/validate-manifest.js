// Offline structural check of an add-in XML manifest. `office-addin-manifest
// validate` sends the manifest to an online service; this checks what we can
// without one, reading the XML with fast-xml-parser:
//   - the file is well-formed XML (XMLValidator, plus what it lets through:
//     a bare "&" in an attribute value, a second root element);
//   - every resid is defined in <Resources> and is at most 32 characters;
//   - the shared runtime's <Runtime>, the custom functions <Page> and the
//     <FunctionFile> use one and the same resid;
//   - every https://localhost:3000/assets/icon-N.png exists next to the
//     manifest (assets/icon-N.png) and really is an N x N PNG, and each
//     <bt:Image size="N"> points at an N-pixel icon;
//   - <Requirements> asks for at least the sets in REQUIRED_SETS;
//   - each locale <Override> has a Locale and a Value within its string's
//     limit (short strings 125 characters, long strings and the description
//     250), and a locale that translates any text translates every text and
//     the custom functions' metadata URL (Functions.Metadata.Url).
//
//   node tools/validate-manifest.js manifest.xml
// Exit code 0 when all is well, 1 with one line per problem otherwise.
const fs = require("fs");
const path = require("path");
const { XMLParser, XMLValidator } = require("fast-xml-parser");

const MAX_RESID_LENGTH = 32;
const ICON_URL = /^https:\/\/localhost:3000\/assets\/icon-(\d+)\.png$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * Requirement sets the add-in cannot do without, and why. SharedRuntime 1.1
 * also sets the ExcelApi floor that src/excel/requirements.ts relies on.
 */
const REQUIRED_SETS = {
  SharedRuntime: { version: "1.1", why: "the task pane and the custom functions share one runtime" },
  CustomFunctionsRuntime: { version: "1.2", why: "CustomFunctions.Error with a message needs it" },
};

/** Compares "1.10" and "1.2" as versions: negative when a is older. */
function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  captureMetaData: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
};
const ATTRIBUTES = ":@";
const META = XMLParser.getMetaDataSymbol();
/** An `&` that starts no entity reference; XMLValidator lets it through in attribute values (a URL's query string is the likely one). */
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * The manifest as a tree of { name, attributes, children, line } from
 * fast-xml-parser's ordered output (which keeps each element's offset), or
 * { line, message } when it is not well-formed. `raw` keeps entity references
 * in attribute values as written.
 */
function readXml(text, { raw = false } = {}) {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) return { line: verdict.err.line, message: verdict.err.msg };
  const lineAt = (offset) => text.slice(0, offset).split("\n").length;
  const elements = (nodes) =>
    nodes
      .filter((node) => !("#text" in node))
      .map((node) => {
        const name = Object.keys(node).find((key) => key !== ATTRIBUTES);
        return { name, attributes: node[ATTRIBUTES] ?? {}, children: elements(node[name]), line: lineAt(node[META].startIndex) };
      });
  const roots = elements(new XMLParser({ ...PARSER_OPTIONS, processEntities: !raw }).parse(text));
  if (roots.length !== 1)
    return { line: roots[1]?.line ?? 1, message: roots.length === 0 ? "no root element" : `second root element <${roots[1].name}>` };
  return { root: roots[0] };
}

const localName = (name) => name.slice(name.indexOf(":") + 1);

function* walk(element, ancestors = []) {
  yield { element, ancestors };
  for (const child of element.children) yield* walk(child, [...ancestors, element]);
}

const findAll = (root, predicate) => [...walk(root)].filter(({ element, ancestors }) => predicate(element, ancestors));

/** Width and height from a PNG's IHDR chunk, or a string saying why the file is not a PNG. */
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return "not a PNG file";
  if (bytes.toString("ascii", 12, 16) !== "IHDR") return "a PNG without an IHDR header";
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Returns the list of problems found in the manifest file (empty when it passes). */
function validateManifest(manifestPath) {
  const label = path.basename(manifestPath);
  const problems = [];
  const report = (line, message) => problems.push(`${label}:${line}: ${message}`);

  const text = fs.readFileSync(manifestPath, "utf8");
  const parsed = readXml(text);
  if (!parsed.root) return [`${label}:${parsed.line}: not well-formed XML: ${parsed.message}`];
  const root = parsed.root;
  for (const { element } of walk(readXml(text, { raw: true }).root)) {
    for (const [name, value] of Object.entries(element.attributes)) {
      if (BARE_AMPERSAND.test(value))
        report(element.line, `not well-formed XML: "&" in attribute ${name} of <${element.name}> starts no entity reference; write &amp;`);
    }
  }
  if (localName(root.name) !== "OfficeApp") {
    report(root.line, `the root element is <${root.name}>, expected <OfficeApp>`);
  }

  // Resources: every element with an id inside <Resources>.
  const resources = new Map();
  for (const { element } of findAll(root, (e, up) => "id" in e.attributes && up.some((a) => localName(a.name) === "Resources"))) {
    const id = element.attributes.id;
    if (resources.has(id)) {
      report(element.line, `resource id "${id}" is defined twice (first on line ${resources.get(id).line})`);
    } else {
      resources.set(id, element);
    }
  }

  const tooLong = new Set();
  const checkLength = (resid, line) => {
    if (resid.length > MAX_RESID_LENGTH && !tooLong.has(resid)) {
      tooLong.add(resid);
      report(line, `resid "${resid}" is ${resid.length} characters long; Office allows at most ${MAX_RESID_LENGTH}`);
    }
  };
  for (const [id, element] of resources) checkLength(id, element.line);

  const uses = findAll(root, (e) => "resid" in e.attributes);
  for (const { element } of uses) {
    const resid = element.attributes.resid;
    checkLength(resid, element.line);
    if (!resources.has(resid)) {
      report(element.line, `resid "${resid}" used by <${element.name}> is not defined in <Resources>`);
    }
  }

  // Shared runtime: Runtime, custom functions Page and FunctionFile must be one resource.
  const residOf = (matches) => (matches.length > 0 ? matches[0].element.attributes.resid : undefined);
  const runtimes = findAll(root, (e, up) => localName(e.name) === "Runtime" && up.some((a) => localName(a.name) === "Runtimes"));
  const pages = findAll(
    root,
    (e, up) =>
      localName(e.name) === "SourceLocation" &&
      up.length >= 2 &&
      localName(up[up.length - 1].name) === "Page" &&
      up[up.length - 2].attributes["xsi:type"] === "CustomFunctions",
  );
  const functionFiles = findAll(root, (e) => localName(e.name) === "FunctionFile");
  const shared = { Runtime: residOf(runtimes), Page: residOf(pages), FunctionFile: residOf(functionFiles) };
  const missing = Object.keys(shared).filter((key) => shared[key] === undefined);
  if (missing.length > 0) {
    report(root.line, `shared runtime incomplete: no resid on ${missing.map((m) => `<${m}>`).join(", ")}`);
  } else if (new Set(Object.values(shared)).size > 1) {
    const list = Object.entries(shared)
      .map(([key, value]) => `${key} "${value}"`)
      .join(", ");
    report(runtimes[0].element.line, `shared runtime resids differ (${list}); they must be identical`);
  }
  for (const { element } of runtimes) {
    if (element.attributes.lifetime !== "long") {
      report(element.line, `<Runtime resid="${element.attributes.resid}"> needs lifetime="long" for a shared runtime`);
    }
  }

  // Icons: files exist next to the manifest and have the size their name promises.
  const assetsDir = path.join(path.dirname(manifestPath), "assets");
  const checkedIcons = new Map();
  const iconSize = (url, line) => {
    const match = ICON_URL.exec(url);
    if (!match) return undefined;
    const size = Number(match[1]);
    if (checkedIcons.has(url)) return size;
    checkedIcons.set(url, size);
    const file = path.join(assetsDir, `icon-${size}.png`);
    const shown = path.relative(process.cwd(), file) || file;
    if (!fs.existsSync(file)) {
      report(line, `icon ${url} has no file ${shown}`);
      return size;
    }
    const actual = pngSize(file);
    if (typeof actual === "string") {
      report(line, `${shown} is ${actual}`);
    } else if (actual.width !== size || actual.height !== size) {
      report(line, `${shown} is ${actual.width}x${actual.height} pixels but its name promises ${size}x${size}`);
    }
    return size;
  };
  for (const { element } of walk(root)) {
    for (const value of Object.values(element.attributes)) iconSize(value, element.line);
  }
  for (const { element } of findAll(root, (e) => localName(e.name) === "Image" && "size" in e.attributes && "resid" in e.attributes)) {
    const resource = resources.get(element.attributes.resid);
    const url = resource && resource.attributes.DefaultValue;
    const size = url && iconSize(url, resource.line);
    if (size !== undefined && String(size) !== element.attributes.size) {
      report(
        element.line,
        `<${element.name} size="${element.attributes.size}"> uses "${element.attributes.resid}", which is a ${size}-pixel icon`,
      );
    }
  }

  // Locale overrides: complete and within the limits of the Resources page.
  const overridable = (e) => ["String", "Url", "Image", "Description", "DisplayName"].includes(localName(e.name));
  const locales = new Map();
  for (const { element, ancestors } of findAll(root, (e, up) => localName(e.name) === "Override" && overridable(up[up.length - 1]))) {
    const owner = ancestors[ancestors.length - 1];
    const { Locale: locale, Value: value } = element.attributes;
    if (!locale || value === undefined) {
      report(element.line, `<${element.name}> of "${owner.attributes.id ?? localName(owner.name)}" needs both Locale and Value`);
      continue;
    }
    const list = ancestors.map((a) => localName(a.name));
    const limit = list.includes("ShortStrings")
      ? 125
      : list.includes("LongStrings") || localName(owner.name) === "Description"
        ? 250
        : undefined;
    if (limit !== undefined && value.length > limit)
      report(
        element.line,
        `the ${locale} text of "${owner.attributes.id ?? localName(owner.name)}" is ${value.length} characters; Office allows ${limit}`,
      );
    const key = locale.toLowerCase();
    if (!locales.has(key)) locales.set(key, { line: element.line, owners: new Set() });
    locales.get(key).owners.add(owner);
  }
  // A text a user reads in a sentence (two words or more); names such as "Attention Lab" or "ATTN" stay as they are.
  const texts = findAll(
    root,
    (e) => ["String", "Description"].includes(localName(e.name)) && / \S+ /.test(e.attributes.DefaultValue ?? ""),
  );
  const metadataUrl = resources.get("Functions.Metadata.Url");
  for (const [locale, { line, owners }] of locales) {
    for (const { element } of texts)
      if (!owners.has(element))
        report(
          element.line,
          `"${element.attributes.id ?? localName(element.name)}" has no ${locale} text, though the manifest is translated to ${locale} (line ${line})`,
        );
    if (metadataUrl && !owners.has(metadataUrl))
      report(metadataUrl.line, `Functions.Metadata.Url has no ${locale} override: Excel would describe ATTN.* in the default language`);
  }

  // Requirement sets: the ones the add-in needs, at their versions, directly under <OfficeApp><Requirements><Sets>.
  const sets = findAll(
    root,
    (e, up) =>
      localName(e.name) === "Set" && up.length === 3 && localName(up[1].name) === "Requirements" && localName(up[2].name) === "Sets",
  );
  for (const [name, need] of Object.entries(REQUIRED_SETS)) {
    const found = sets.find(({ element }) => element.attributes.Name === name);
    if (!found) {
      report(root.line, `<Requirements> does not ask for ${name} ${need.version}, which the add-in needs: ${need.why}`);
      continue;
    }
    const declared = found.element.attributes.MinVersion ?? found.ancestors[2].attributes.DefaultMinVersion ?? "1.1";
    if (compareVersions(declared, need.version) < 0) {
      report(found.element.line, `<Set Name="${name}"> asks for ${declared}; the add-in needs ${need.version} or later: ${need.why}`);
    }
  }

  return problems;
}

function main(argv) {
  const manifestPath = argv[0];
  if (!manifestPath || argv.length > 1) {
    console.error("usage: node tools/validate-manifest.js path/to/manifest.xml");
    return 2;
  }
  if (!fs.existsSync(manifestPath)) {
    console.error(`${manifestPath}: no such file`);
    return 2;
  }
  const problems = validateManifest(manifestPath);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`${problems.length} problem${problems.length === 1 ? "" : "s"} found in ${manifestPath}`);
    return 1;
  }
  console.log(
    `${manifestPath}: structure OK (resids defined and at most ${MAX_RESID_LENGTH} characters, shared runtime consistent, icons present at their sizes, requirement sets as needed)`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
