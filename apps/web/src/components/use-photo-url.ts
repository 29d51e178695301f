import { useEffect, useState } from 'preact/hooks';
import { fetchPhoto } from '../api';

/**
 * An object URL for a photo fetched with the bearer token: most photos are not public, and an
 * <img src> cannot carry an Authorization header.
 */
export function usePhotoUrl(url: string | undefined): { src?: string; failed: boolean } {
  const [state, setState] = useState<{ src?: string; failed: boolean }>({ failed: false });
  useEffect(() => {
    if (!url) return;
    let objectUrl: string | undefined;
    let alive = true;
    setState({ failed: false });
    fetchPhoto(url).then(
      (blob) => {
        if (!alive) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ src: objectUrl, failed: false });
      },
      () => alive && setState({ failed: true }),
    );
    return () => {
      alive = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return state;
}
