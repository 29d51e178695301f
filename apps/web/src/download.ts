/** Files made in the browser: CSV tables and PNG renderings of the SVG charts. */

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Cell = string | number | boolean | null | undefined;

/** RFC 4180 CSV, with a byte-order mark so spreadsheet programs read the Cyrillic right. */
export function toCsv(rows: Cell[][]): Blob {
  const quote = (c: Cell) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
  return new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
}

const TITLE_HEIGHT = 32;

/** Draws an SVG element, under its title, onto a white canvas at twice its size; returns a PNG. */
export async function svgToPng(svg: SVGSVGElement, title?: string): Promise<Blob> {
  const width = svg.width.baseVal.value || svg.clientWidth;
  const height = svg.height.baseVal.value || svg.clientHeight;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const source = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('SVG could not be drawn'));
      img.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    const top = title ? TITLE_HEIGHT : 0;
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil((height + top) * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    if (title) {
      ctx.fillStyle = '#111418';
      ctx.font = '600 15px system-ui, sans-serif';
      ctx.fillText(title, 8, 21, width - 16);
    }
    ctx.drawImage(img, 0, top, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
