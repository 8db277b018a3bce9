// Draws the add-in icons into assets/ as PNG files, with nothing but node's
// zlib: a small attention matrix drawn as a heat map, each query row
// attending most strongly to its own position (the dark diagonal).
//
//   node tools/draw-icons.js [outDir]
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const ICON_SIZES = [16, 32, 64, 80, 128];
const LOGO_SIZE = 300;

const LIGHT = [214, 240, 242]; // weight 0
const DARK = [11, 83, 105]; // weight 1
const LOGO_BACKGROUND = [255, 255, 255];

// zlib.crc32 only exists from node 20.15, so keep our own table.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes an RGBA pixel buffer (width * height * 4 bytes) as a PNG file. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const stride = width * 4;
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (stride + 1)] = 0; // filter type None
    rgba.copy(scanlines, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(scanlines, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Row-softmax of -|i - j| * sharpness: a local attention pattern, rescaled so the diagonal is 1. */
function attentionWeights(n) {
  const sharpness = 0.8;
  return Array.from({ length: n }, (_, i) => {
    const row = Array.from({ length: n }, (_, j) => Math.exp(-sharpness * Math.abs(i - j)));
    const peak = Math.max(...row);
    return row.map((w) => w / peak);
  });
}

function mix(weight) {
  return LIGHT.map((light, c) => Math.round(light + (DARK[c] - light) * weight));
}

/** Cell edges in pixels: n cells separated by gaps, inside a margin, rounded to whole pixels. */
function cellEdges(size, n, margin, gap) {
  const pitch = (size - 2 * margin + gap) / n;
  return Array.from({ length: n }, (_, i) => [margin + Math.round(i * pitch), margin + Math.round((i + 1) * pitch) - gap]);
}

function drawIcon(size, { background } = {}) {
  const n = size <= 32 ? 4 : 6;
  const margin = background ? Math.round(size * 0.12) : Math.max(1, Math.round(size / 32));
  const gap = Math.max(1, Math.round(size / 40));
  const weights = attentionWeights(n);
  const edges = cellEdges(size, n, margin, gap);
  const rgba = Buffer.alloc(size * size * 4);
  if (background) {
    for (let p = 0; p < size * size; p++) {
      rgba.set([...background, 255], p * 4);
    }
  }
  for (let i = 0; i < n; i++) {
    const [top, bottom] = edges[i];
    for (let j = 0; j < n; j++) {
      const [left, right] = edges[j];
      const colour = [...mix(weights[i][j]), 255];
      for (let y = top; y < bottom; y++) {
        for (let x = left; x < right; x++) rgba.set(colour, (y * size + x) * 4);
      }
    }
  }
  return encodePng(size, size, rgba);
}

function main() {
  const outDir = path.resolve(process.argv[2] || path.join(__dirname, "..", "assets"));
  fs.mkdirSync(outDir, { recursive: true });
  for (const size of ICON_SIZES) {
    fs.writeFileSync(path.join(outDir, `icon-${size}.png`), drawIcon(size));
  }
  fs.writeFileSync(path.join(outDir, "logo-filled.png"), drawIcon(LOGO_SIZE, { background: LOGO_BACKGROUND }));
  console.log(`Wrote ${ICON_SIZES.length + 1} PNG files to ${outDir}`);
}

main();
