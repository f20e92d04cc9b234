// The structure tree and the marked-content text of PDFs as pdf.js (Firefox's PDF reader) sees
// them, for tests/readers.py: one Node process reads every PDF named on the command line and
// writes one JSON object to stdout, {path: {"pages": [page, ...]} or {"error": message}}, where
// page is {"tree": getStructTree() or null, "marked": [{"tag", "id", "text"}, ...] in content
// order, "unmarked": text outside any marked-content sequence}.
//
// pdf.js prints its warnings with console.log; they go to stderr so that stdout stays JSON.
// pdfjs-dist 5 needs its optional dependency @napi-rs/canvas even for text (it makes a
// DOMMatrix as it loads), so it is installed with plain `npm ci`, never with --omit=optional.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

console.log = (...args) => console.error(...args);

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("pdfjs-dist/package.json"));
const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");

// The text of each marked-content sequence, nested sequences' text included, trimmed; text
// outside every sequence is "unmarked", content a tagged PDF must not have.
function markedText(items) {
  const marked = [];
  const open = [];
  let unmarked = "";
  for (const item of items) {
    if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") {
      const entry = { tag: item.tag, id: item.id ?? null, text: "" };
      marked.push(entry);
      open.push(entry);
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (typeof item.str === "string") {
      const piece = item.str + (item.hasEOL ? "\n" : "");
      for (const entry of open) entry.text += piece;
      if (!open.length) unmarked += piece;
    }
  }
  for (const entry of marked) entry.text = entry.text.trim();
  return { marked, unmarked: unmarked.trim() };
}

async function read(file) {
  const document = await pdfjs.getDocument({
    data: new Uint8Array(await readFile(file)),
    standardFontDataUrl: path.join(root, "standard_fonts") + path.sep,
    cMapUrl: path.join(root, "cmaps") + path.sep,
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  }).promise;
  try {
    const pages = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const tree = await page.getStructTree();
      const content = await page.getTextContent({ includeMarkedContent: true });
      pages.push({ tree: tree ?? null, ...markedText(content.items) });
      page.cleanup();
    }
    return { pages };
  } finally {
    await document.destroy();
  }
}

const results = {};
for (const file of process.argv.slice(2)) {
  try {
    results[file] = await read(file);
  } catch (error) {
    results[file] = { error: String(error?.message ?? error) };
  }
}
process.stdout.write(JSON.stringify(results));
