// Print each page's text as pdf.js (Firefox's PDF reader) extracts it, pages separated by \f.
//
//   node pdfjs_text.mjs FILE.pdf
//
// Text items are joined as Firefox's find bar sees them: an item that ends a line
// (hasEOL) is followed by a line break. Uses the legacy build, which runs in Node.js.
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));
