/**
 * Wraps Element Plus' imperative feedback (toasts, confirm boxes) so views do not import
 * the UI library directly (vben's `adapter/`).
 */
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { isApiError } from '@/api/request'
import { t } from '@/locales'

export function toastSuccess(message: string) {
  ElMessage({ type: 'success', message, grouping: true })
}

export function toastError(message: string) {
  ElMessage({ type: 'error', message, grouping: true, duration: 5000 })
}

export function toastWarning(message: string) {
  ElMessage({ type: 'warning', message, grouping: true })
}

/** Show any thrown error as a toast (API message in the user's language). */
export function notifyError(e: unknown) {
  if (e instanceof DOMException && e.name === 'AbortError') return
  if (isApiError(e)) {
    // Redirects handle these.
    if (e.status === 401 || e.code === 'password_change_required' || e.code === 'totp_enrolment_required') return
    let msg = e.message
    if (e.code === 'busy' && e.retryAfter) msg = `${msg} (${t('common.retryAfter', { n: e.retryAfter })})`
    toastError(msg)
    return
  }
  toastError(e instanceof Error ? e.message : String(e))
}

/** Ask before doing something; resolves true when confirmed. */
export async function confirmAction(message: string, opts: { title?: string; danger?: boolean; confirmText?: string } = {}) {
  try {
    await ElMessageBox.confirm(message, opts.title ?? t('common.confirmTitle'), {
      type: opts.danger ? 'warning' : 'info',
      confirmButtonText: opts.confirmText ?? t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: opts.danger ? 'el-button--danger' : undefined,
      customClass: 'sc-confirm',
      autofocus: false,
    })
    return true
  } catch {
    return false
  }
}

/** Copy text to the clipboard (falls back to a hidden textarea on plain HTTP). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    /* fall through */
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  document.body.removeChild(ta)
  return ok
}
