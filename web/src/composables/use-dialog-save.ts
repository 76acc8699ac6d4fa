import { ref } from 'vue'
import type { Ref } from 'vue'
import { isApiError } from '@/api/request'
import { t } from '@/locales'
import { toastError, toastSuccess } from '@/adapter/feedback'
import { useFieldErrors } from './use-field-errors'

export interface DialogSaveOptions {
  /** The dialog's `v-model`: closed after a save and after a version conflict. */
  visible: Ref<boolean>
  /** Called after a save and after a version conflict (the list reloads the current record). */
  onSaved: () => void
  /** Toast after a save (default `common.saved`). */
  successMessage?: () => string
  /** Server field names shown under another field (`{'member_ids[0]': 'member_ids'}`). */
  alias?: Record<string, string>
}

/**
 * The save of a create / edit dialog: field errors (client checks and the server's
 * `error.fields`) under their fields, a `saving` flag, and on success a toast, the dialog closed
 * and `onSaved`. A 409 `version_conflict` (someone changed the record meanwhile) closes the
 * dialog with a toast and reloads the list through `onSaved`, so the next edit starts from the
 * current version.
 *
 * ```ts
 * const { errors, set, saving, save, begin } = useDialogSave({ visible, onSaved: () => emit('saved') })
 * async function submit() {
 *   begin()
 *   if (!form.name.trim()) set('name', t('common.required'))
 *   await save(() => (props.item ? update(props.item.id, { ...body, version }) : create(body)))
 * }
 * ```
 */
export function useDialogSave(opts: DialogSaveOptions) {
  const fieldErrors = useFieldErrors()
  const { errors, clear } = fieldErrors
  const saving = ref(false)

  /** Start a submit: clears the errors of the last attempt. */
  function begin() {
    clear()
  }

  /**
   * Run the request unless a client check already set an error (or a save is running).
   * Resolves the server's answer on success, `undefined` otherwise.
   */
  async function save<T>(request: () => Promise<T>): Promise<T | undefined> {
    if (saving.value || Object.keys(errors).length) return undefined
    saving.value = true
    try {
      const res = await request()
      toastSuccess(opts.successMessage ? opts.successMessage() : t('common.saved'))
      opts.visible.value = false
      opts.onSaved()
      return res
    } catch (e) {
      if (isApiError(e) && e.code === 'version_conflict') {
        toastError(t('common.versionConflict'))
        opts.visible.value = false
        opts.onSaved()
        return undefined
      }
      fieldErrors.fromError(e, { alias: opts.alias })
      return undefined
    } finally {
      saving.value = false
    }
  }

  return { ...fieldErrors, saving, begin, save }
}
