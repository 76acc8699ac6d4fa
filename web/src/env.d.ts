/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base of the REST API; defaults to `/api/v1` on the same origin. */
  readonly VITE_API_BASE?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
