/** The history feature's public API (first-load side: the drawer's tabs only). */
export { DrawerTabs } from './components/drawer-tabs';
export { historyKeys } from './api/keys';
