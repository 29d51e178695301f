import { ProtocolTemplate, ProtocolValues } from '@app/domain';
import sharp from 'sharp';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A photo-like image of a signed protocol: the template's numbered lines with the given numbers,
 * slightly rotated on a grey table, as a JPEG. Used for demo data and browser tests.
 */
export async function renderProtocolPhoto(
  template: ProtocolTemplate,
  values: ProtocolValues,
  caption: { region: string; district?: string | null; number: string },
  options: { width?: number; rotate?: number; quality?: number } = {},
): Promise<Buffer> {
  const width = options.width ?? 1200;
  const lineHeight = 34;
  const top = 190;
  const height = top + template.lines.length * lineHeight + 170;
  const rows = template.lines
    .map((line, i) => {
      const y = top + i * lineHeight;
      const label = line.label.length > 78 ? `${line.label.slice(0, 76)}…` : line.label;
      return `<text x="40" y="${y}" font-size="17">${line.n}. ${escape(label)}</text>
        <rect x="${width - 230}" y="${y - 24}" width="180" height="30" fill="none" stroke="#333"/>
        <text x="${width - 60}" y="${y}" font-size="22" text-anchor="end" font-family="DejaVu Sans Mono, monospace">${values[String(line.n)] ?? ''}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#fbfaf4"/>
    <g font-family="DejaVu Sans, sans-serif" fill="#111">
      <text x="${width / 2}" y="60" font-size="26" text-anchor="middle" font-weight="bold">ПРОТОКОЛ</text>
      <text x="${width / 2}" y="95" font-size="18" text-anchor="middle">участковой избирательной комиссии об итогах голосования</text>
      <text x="${width / 2}" y="130" font-size="20" text-anchor="middle">${escape(caption.region)}${caption.district ? `, ${escape(caption.district)}` : ''}, УИК №${escape(caption.number)}</text>
      ${rows}
      <text x="40" y="${height - 90}" font-size="18">Председатель комиссии ____________</text>
      <text x="40" y="${height - 50}" font-size="18">Секретарь комиссии ____________   М.П.</text>
      <path d="M ${width - 380} ${height - 95} q 40 -40 80 0 t 80 0 t 60 -10" stroke="#1a3f8f" stroke-width="3" fill="none"/>
    </g>
  </svg>`;
  const page = await sharp(Buffer.from(svg))
    .rotate(options.rotate ?? 1.5, { background: '#8a8d91' })
    .toBuffer();
  return sharp(page)
    .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#8a8d91' })
    .jpeg({ quality: options.quality ?? 82 })
    .toBuffer();
}
