/** The API keys feature's public API. */
export { ApiKeysPage } from './components/api-keys-page';
export { apiKeyKeys } from './api/keys';
