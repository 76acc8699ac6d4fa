import { onBeforeUnmount, ref } from 'vue'

const MOBILE_QUERY = '(max-width: 767px)'
const isMobile = ref(typeof window !== 'undefined' && window.matchMedia(MOBILE_QUERY).matches)
let users = 0
let mql: MediaQueryList | null = null
const onChange = (e: MediaQueryListEvent) => {
  isMobile.value = e.matches
}

/** `isMobile` is true below 768 px (phones): drawer menu, cards, stacked forms. */
export function useBreakpoint() {
  if (users++ === 0) {
    mql = window.matchMedia(MOBILE_QUERY)
    isMobile.value = mql.matches
    mql.addEventListener('change', onChange)
  }
  onBeforeUnmount(() => {
    if (--users === 0 && mql) mql.removeEventListener('change', onChange)
  })
  return { isMobile }
}
