import type { Component } from 'vue'
import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title / menu label. */
    title?: string
    /** Permission code(s) needed to open the page (all of them). */
    permission?: string | string[]
    /** Also needs at least one of these permission codes. */
    permissionAny?: string[]
    /** Menu icon; a route with an icon and `menu !== false` appears in the side menu. */
    icon?: Component
    menu?: boolean
    /** Reachable without signing in. */
    public?: boolean
    /** Highlight this menu entry (path) when on the page. */
    activeMenu?: string
  }
}

export {}
