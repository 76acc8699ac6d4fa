import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Layout state: side menu collapsed (desktop) / drawer open (phone). */
export const useAppStore = defineStore('app', () => {
  const collapsed = ref(localStorage.getItem('storecrm.menu.collapsed') === '1')
  const drawerOpen = ref(false)

  function toggleCollapsed() {
    collapsed.value = !collapsed.value
    localStorage.setItem('storecrm.menu.collapsed', collapsed.value ? '1' : '0')
  }

  return { collapsed, drawerOpen, toggleCollapsed }
})
