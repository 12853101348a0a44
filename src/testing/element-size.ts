/**
 * jsdom does no layout: every element is 0×0, so @tanstack/react-virtual renders no rows.
 * `mockElementSize` gives elements a size until the returned function restores it:
 *
 *   let restore: () => void;
 *   beforeEach(() => { restore = mockElementSize({ width: 1200, height: 800 }); });
 *   afterEach(() => restore());
 *
 * react-virtual reads the scroll element's clientWidth/clientHeight for the viewport and,
 * with measureElement, each row's offsetHeight: pass `rowHeight` for that, and `match` to
 * size only some elements (e.g. `el => el.matches('[data-testid=scroller]')`).
 */
export interface ElementSizeOptions {
  width?: number;
  height?: number;
  /** offsetHeight of every element that does not match `match` (measured rows). */
  rowHeight?: number;
  /** Which elements get width × height (default: all). */
  match?: (element: HTMLElement) => boolean;
}

export function mockElementSize({ width = 1024, height = 768, rowHeight, match = () => true }: ElementSizeOptions = {}): () => void {
  const proto = HTMLElement.prototype;
  const names = ['clientWidth', 'clientHeight', 'offsetWidth', 'offsetHeight'] as const;
  const originals = names.map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const);
  const originalRect = proto.getBoundingClientRect;

  const sizeOf = (el: HTMLElement) => (match(el) ? { w: width, h: height } : { w: width, h: rowHeight ?? 0 });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return sizeOf(this).w; } });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get(this: HTMLElement) { return sizeOf(this).h; } });
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get(this: HTMLElement) { return sizeOf(this).w; } });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get(this: HTMLElement) { return sizeOf(this).h; } });
  proto.getBoundingClientRect = function (this: HTMLElement) {
    const { w, h } = sizeOf(this);
    return { x: 0, y: 0, top: 0, left: 0, right: w, bottom: h, width: w, height: h, toJSON: () => ({}) } as DOMRect;
  };

  return () => {
    for (const [name, descriptor] of originals) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[name];
    }
    proto.getBoundingClientRect = originalRect;
  };
}
