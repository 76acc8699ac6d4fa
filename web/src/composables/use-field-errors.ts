import { reactive } from 'vue'
import { isApiError } from '@/api/request'
import { notifyError } from '@/adapter/feedback'

/**
 * Inline field errors of a form: client-side checks and the server's
 * `error.fields[{field,message}]` both land in `errors[field]`.
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({})

  function clear(field?: string) {
    if (field) delete errors[field]
    else for (const k of Object.keys(errors)) delete errors[k]
  }

  function set(field: string, message: string) {
    errors[field] = message
  }

  function has() {
    return Object.keys(errors).length > 0
  }

  /**
   * Put a server error's field messages under their fields; returns true when at least one
   * field message was shown. Otherwise (or additionally for the form-level message) a toast.
   */
  function fromError(e: unknown, opts: { toast?: boolean; alias?: Record<string, string> } = {}): boolean {
    clear()
    if (isApiError(e) && e.fields.length) {
      for (const f of e.fields) {
        const key = opts.alias?.[f.field] ?? f.field
        errors[key] = errors[key] ? `${errors[key]}; ${f.message}` : f.message
      }
      if (opts.toast) notifyError(e)
      return true
    }
    notifyError(e)
    return false
  }

  return { errors, clear, set, has, fromError }
}
