import { useEffect, useState } from 'react';

/** Screens by the page's hash (`#/warning/330400:501`), so that every screen can be linked and reloaded. */
export type Route =
  | { screen: 'warnings' }
  | { screen: 'warning'; id: string }
  | { screen: 'petition'; id: string }
  | { screen: 'person'; id: string }
  | { screen: 'inspections' }
  | { screen: 'inspection'; id: string }
  | { screen: 'task'; id: string }
  | { screen: 'tasks' };

export function parseRoute(hash: string): Route {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (screen) {
    case 'warning':
    case 'petition':
    case 'person':
    case 'inspection':
    case 'task':
      return id ? { screen, id } : { screen: 'warnings' };
    case 'inspections':
    case 'tasks':
      return { screen };
    default:
      return { screen: 'warnings' };
  }
}

export const href = (screen: string, id?: string) => `#/${screen}${id ? `/${encodeURIComponent(id)}` : ''}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
