/**
 * jsdom has no matchMedia. This one answers from a settable "system" colour scheme and
 * notifies listeners when tests change it: `setSystemDark(true)`.
 */
type Listener = (event: MediaQueryListEvent) => void;

let systemDark = false;
const lists = new Set<{ media: string; listeners: Set<Listener> }>();

const matches = (media: string) => (media.includes('prefers-color-scheme: dark') ? systemDark : false);

export function installMatchMedia(): void {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    writable: true,
    value: (media: string): MediaQueryList => {
      const entry = { media, listeners: new Set<Listener>() };
      lists.add(entry);
      const list = {
        media,
        get matches() {
          return matches(media);
        },
        onchange: null,
        addEventListener: (_type: string, listener: Listener) => entry.listeners.add(listener),
        removeEventListener: (_type: string, listener: Listener) => entry.listeners.delete(listener),
        addListener: (listener: Listener) => entry.listeners.add(listener),
        removeListener: (listener: Listener) => entry.listeners.delete(listener),
        dispatchEvent: () => true,
      };
      return list as unknown as MediaQueryList;
    },
  });
}

/** Switches the fake OS theme and notifies `(prefers-color-scheme: dark)` listeners. */
export function setSystemDark(dark: boolean): void {
  systemDark = dark;
  for (const entry of lists) {
    const event = { matches: matches(entry.media), media: entry.media } as MediaQueryListEvent;
    entry.listeners.forEach((listener) => listener(event));
  }
}
