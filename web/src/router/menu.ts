import type { Component } from 'vue'
import { memberRoutes } from './routes/modules/members'
import { systemRoutes } from './routes/modules/system'
import { profileRoutes } from './routes/modules/profile'
import { salesRoutes } from './routes/modules/sales'
import { catalogRoutes } from './routes/modules/catalog'
import { loyaltyRoutes } from './routes/modules/loyalty'
import { serviceRoutes } from './routes/modules/service'
import { analyticsRoutes } from './routes/modules/analytics'
import { marketingRoutes } from './routes/modules/marketing'

export interface MenuItem {
  path: string
  name: string
  title: string
  icon?: Component
  permission?: string | string[]
  permissionAny?: string[]
}

export interface MenuGroup {
  key: string
  title: string
  items: MenuItem[]
}

function items(routes: typeof memberRoutes): MenuItem[] {
  return routes
    .filter((r) => r.meta?.icon && r.meta.menu !== false)
    .map((r) => ({
      path: `/${r.path}`,
      name: String(r.name),
      title: r.meta!.title!,
      icon: r.meta!.icon,
      permission: r.meta!.permission,
      permissionAny: r.meta!.permissionAny,
    }))
}

/** The side menu; entries are filtered by the user's permissions in the layout. */
export const menuGroups: MenuGroup[] = [
  { key: 'members', title: 'menu.groupMembers', items: items(memberRoutes) },
  { key: 'sales', title: 'menu.groupSales', items: items(salesRoutes) },
  // After members and sales so the home page of existing roles stays where it was.
  { key: 'service', title: 'menu.groupService', items: items(serviceRoutes) },
  { key: 'loyalty', title: 'menu.groupLoyalty', items: items(loyaltyRoutes) },
  { key: 'catalog', title: 'menu.groupCatalog', items: items(catalogRoutes) },
  { key: 'analytics', title: 'menu.groupAnalytics', items: items(analyticsRoutes) },
  { key: 'marketing', title: 'marketing.menu.group', items: items(marketingRoutes) },
  { key: 'system', title: 'menu.groupSystem', items: items(systemRoutes) },
  { key: 'me', title: 'menu.groupMe', items: items(profileRoutes) },
]

/** First page the user may open (the home redirect). */
export function firstAllowedPath(can: (p?: string | string[]) => boolean, canAny: (p?: string[]) => boolean = () => true): string {
  for (const g of menuGroups) for (const i of g.items) if (can(i.permission) && canAny(i.permissionAny)) return i.path
  return '/profile'
}
