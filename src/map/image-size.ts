// The pixel size a JPEG or PNG declares in its header, read without decoding it: a decode allocates width × height
// × 4 bytes, so a server's image is measured first (a 16,384 px square would take 1 GiB).
// Formats: JPEG (ITU T.81 B.2: segments FF xx + 2-byte length; a start-of-frame FFC0 … FFCF, except FFC4 DHT, FFC8
// JPG and FFCC DAC, holds precision, height, width); PNG (the IHDR chunk first: width, height at bytes 16 … 23).

/** { width, height } in pixels, or null when the bytes are neither a JPEG nor a PNG with a readable header. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = view.getUint16(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}
