import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import type { Photo } from '../types';
import { usePhotoUrl } from './use-photo-url';

const MIN_ZOOM = 1;
const MAX_ZOOM = 8;

interface View {
  zoom: number;
  rotation: number;
  x: number;
  y: number;
}
const INITIAL: View = { zoom: 1, rotation: 0, x: 0, y: 0 };

function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/**
 * Protocol photo viewer: zoom (wheel, buttons, +/-), pan (drag, arrow keys), rotate
 * (buttons, R), and switching between a report's photos.
 */
export function PhotoViewer({ photos, alt }: { photos: Photo[]; alt: string }) {
  const t = useT();
  const [index, setIndex] = useState(0);
  const [view, setView] = useState<View>(INITIAL);
  const [box, setBox] = useState({ w: 1, h: 1 });
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);
  const photo = photos[Math.min(index, photos.length - 1)];
  const { src, failed } = usePhotoUrl(photo?.url);

  useEffect(() => setView(INITIAL), [index]);
  useEffect(() => {
    const el = stage.current;
    if (!el) return;
    const measure = () => setBox({ w: el.clientWidth || 1, h: el.clientHeight || 1 });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    // Wheel zoom needs a non-passive listener to keep the page from scrolling.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      setView((v) => ({ ...v, zoom: clampZoom(v.zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15)) }));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, []);

  if (photos.length === 0) return <p class="muted">{t('photo.none')}</p>;

  const zoomBy = (f: number) => setView((v) => ({ ...v, zoom: clampZoom(v.zoom * f) }));
  const rotate = (d: number) => setView((v) => ({ ...v, rotation: (v.rotation + d + 360) % 360 }));
  const pan = (dx: number, dy: number) => setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  const go = (d: number) => setIndex((i) => (i + d + photos.length) % photos.length);

  const onKeyDown = (e: KeyboardEvent) => {
    const step = 40;
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(1.25),
      '=': () => zoomBy(1.25),
      '-': () => zoomBy(0.8),
      r: () => rotate(90),
      R: () => rotate(-90),
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
      PageDown: () => go(1),
      PageUp: () => go(-1),
      '0': () => setView(INITIAL),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };
  const onPointerDown = (e: PointerEvent) => {
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    pan(e.clientX - d.x, e.clientY - d.y);
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
  };
  const endDrag = () => (drag.current = null);

  // A quarter turn swaps width and height; shrink so the whole photo still fits.
  const quarter = view.rotation % 180 !== 0;
  const fit = quarter ? Math.min(box.w / box.h, box.h / box.w) : 1;
  const transform = `translate(${view.x}px, ${view.y}px) rotate(${view.rotation}deg) scale(${view.zoom * fit})`;

  return (
    <section class="viewer" aria-label={t('photo.viewer')}>
      <div
        ref={stage}
        class="viewer-stage"
        tabIndex={0}
        role="img"
        aria-label={`${alt} — ${t('photo.position', { n: index + 1, total: photos.length })}. ${t('photo.keys')}`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {src && <img src={src} alt="" draggable={false} style={{ transform }} />}
        {!src && !failed && <span class="muted">{t('common.loading')}</span>}
        {failed && <span class="error-text">{t('photo.failed')}</span>}
      </div>
      <div class="viewer-tools" role="toolbar" aria-label={t('photo.tools')}>
        <button type="button" onClick={() => zoomBy(1.25)} aria-label={t('photo.zoomIn')} title={t('photo.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label={t('photo.zoomOut')} title={t('photo.zoomOut')}>
          −
        </button>
        <button
          type="button"
          onClick={() => rotate(-90)}
          aria-label={t('photo.rotateLeft')}
          title={t('photo.rotateLeft')}
        >
          ↺
        </button>
        <button
          type="button"
          onClick={() => rotate(90)}
          aria-label={t('photo.rotateRight')}
          title={t('photo.rotateRight')}
        >
          ↻
        </button>
        <button type="button" onClick={() => setView(INITIAL)}>
          {t('photo.reset')}
        </button>
        <span class="viewer-zoom" aria-live="polite">
          {Math.round(view.zoom * 100)} %
        </span>
      </div>
      {photos.length > 1 && (
        <div class="viewer-thumbs" role="group" aria-label={t('photo.switch')}>
          <button type="button" onClick={() => go(-1)} aria-label={t('photo.prev')}>
            ‹
          </button>
          {photos.map((p, i) => (
            <button
              type="button"
              key={p.id}
              aria-pressed={i === index}
              onClick={() => setIndex(i)}
              aria-label={t('photo.position', { n: i + 1, total: photos.length })}
            >
              {i + 1}
            </button>
          ))}
          <button type="button" onClick={() => go(1)} aria-label={t('photo.next')}>
            ›
          </button>
        </div>
      )}
    </section>
  );
}
