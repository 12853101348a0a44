export { AppFrame, type AppFrameProps } from './app-frame';
export { HeaderStatus, HeaderStatusProvider, HeaderStatusSlot } from './header-status';
export { ThemeToggle, type ThemeChoice, type ThemeToggleProps } from './theme-toggle';
export { Page, PageHeader, type PageHeaderProps } from './page';
export { ServerUnavailableBanner } from './server-unavailable-banner';
