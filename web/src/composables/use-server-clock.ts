import { onBeforeUnmount, ref } from 'vue'

/**
 * A clock that ticks every second in the server's time: `sync(now)` takes a list's `now`
 * (server time) so SLA countdowns do not depend on the device's clock being right.
 */
export function useServerClock() {
  let offset = 0
  const now = ref(Date.now())
  const timer = window.setInterval(() => {
    now.value = Date.now() + offset
  }, 1000)
  onBeforeUnmount(() => window.clearInterval(timer))

  function sync(serverNow: string | null | undefined) {
    if (!serverNow) return
    const ms = Date.parse(serverNow)
    if (Number.isNaN(ms)) return
    offset = ms - Date.now()
    now.value = ms
  }

  return { now, sync }
}
