/**
 * A slot in the app header for background-job indicators (the bulk-delete progress).
 *
 * Usage, from anywhere inside <AppFrame>:
 *
 *   <HeaderStatus>
 *     <DeleteProgress />    // e.g. "Deleting 40 / 120" with a Cancel button
 *   </HeaderStatus>
 *
 * The children are portalled into the header while the component is mounted, so the
 * indicator can live next to the state it shows (a page, a feature provider) yet be
 * visible on every screen. Several indicators stack side by side. The slot itself is not
 * a live region: an indicator announces its own progress (role="status", throttled).
 * To keep an indicator across page changes, mount it above the routes (e.g. in a feature
 * provider rendered by src/app) rather than inside a page.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const SlotContext = createContext<{ target: HTMLElement | null; setTarget: (el: HTMLElement | null) => void } | null>(null);

/** Provides the slot; AppFrame renders it around the header and the main content. */
export function HeaderStatusProvider({ children }: { children: ReactNode }) {
  const [target, setTarget] = useState<HTMLElement | null>(null);
  return <SlotContext.Provider value={{ target, setTarget }}>{children}</SlotContext.Provider>;
}

/** Where indicators appear (in the header, before the role badge). Empty = takes no space. */
export function HeaderStatusSlot() {
  const slot = useContext(SlotContext);
  return <div ref={slot?.setTarget} className="app-header__status" data-header-status-slot="" />;
}

/** Renders its children in the header's status slot (nothing outside an AppFrame). */
export function HeaderStatus({ children }: { children: ReactNode }) {
  const slot = useContext(SlotContext);
  return slot?.target ? createPortal(children, slot.target) : null;
}
