import {
  type Customer,
  type CustomerEditor,
  type CustomerEditorOptions,
  type CustomerError,
  EDITABLE_FIELDS,
  type EditableField,
  type SlimCustomerClient,
  type UpdateStatus,
} from '@donutauto/core';
import {
  type CustomerFormValue,
  EDITOR_INITIAL,
  type EditorAction,
  type EditorSessionState,
  formValue,
  key,
  reduceEditor,
} from './editor-state';
import { createExternalStore, type ExternalStore } from './external-store';
import { createPendingStash, type StashStorage, sessionStash } from './pending-stash';

/** Options of `useCustomerEditor`: core's editor options (`delayMs`, `maxWaitMs`, `retry`, `timers`), the display hold and the stash; read when the component mounts. */
export interface UseCustomerEditorOptions extends CustomerEditorOptions {
  /** Shortest time "saving" is shown, so a fast save does not flicker. @defaultValue 600 */
  readonly minSavingMs?: number;
  /**
   * Where unsaved edits are kept when the page is hidden or unloaded, to be saved when the editor
   * opens again (a save started while a page unloads may not finish); `null` turns this off.
   * @defaultValue `sessionStorage` (per tab, kept across reloads) where there is one
   */
  readonly pendingStorage?: StashStorage | null;
}

/** A customer being edited: core's editor plus what a form needs around it. */
export interface EditorSession extends ExternalStore<EditorSessionState, EditorAction> {
  setField<F extends EditableField>(field: F, value: CustomerFormValue<F>): CustomerError | undefined;
  resolveConflict(choice: 'mine' | 'theirs', field?: EditableField): void;
  flush(): Promise<void>;
}

/**
 * Creates the editing session behind `useCustomerEditor`. While subscribed it holds one core editor
 * (`client.createEditor`), reads the customer, re-reads it on change events, and flushes on
 * `pagehide` and when the page is hidden; the last unsubscribe disposes the editor, which saves
 * what is pending.
 * @param client - The organization-scoped client.
 * @param id - The customer's id.
 * @param options - Debounce timings and the minimum "saving" time.
 * @returns The session.
 */
export function createEditorSession(
  client: SlimCustomerClient,
  id: string,
  options: UseCustomerEditorOptions = {},
): EditorSession {
  const { minSavingMs = 600, pendingStorage, ...editorOptions } = options;
  const stash = createPendingStash(
    pendingStorage === null ? undefined : (pendingStorage ?? sessionStash()),
    `donutauto:pending:${client.organizationId}:${id}`,
  );
  let editor: CustomerEditor | undefined;
  let active = false;
  let knownStored: Customer | undefined;
  let knownStatus: UpdateStatus | undefined;
  let savingSince = 0;
  let hold: ReturnType<typeof setTimeout> | undefined;

  const store = createExternalStore<EditorSessionState, EditorAction>(EDITOR_INITIAL, reduceEditor, () => {
    active = true;
    const current = openEditor();
    current.load().then(restore, fail);
    const unsubscribe = client.subscribe((event) => {
      if (event.ids.length === 0 || event.ids.includes(id)) current.load().catch(fail);
    });
    const onHidden = (): void => {
      if (win?.document.visibilityState === 'hidden') saveOnHide();
    };
    const win = typeof window === 'undefined' ? undefined : window;
    win?.addEventListener('pagehide', saveOnHide);
    win?.document.addEventListener('visibilitychange', onHidden);
    return () => {
      active = false;
      win?.removeEventListener('pagehide', saveOnHide);
      win?.document.removeEventListener('visibilitychange', onHidden);
      unsubscribe();
      closeEditor();
    };
  });

  const fail = (error: unknown): void => store.dispatch({ type: 'loadFailed', error });
  const saveOnHide = (): void => {
    if (!editor) return;
    stash.save(editor.pendingPatch());
    // The status shows a failure; a flush on hide has nobody else to tell.
    editor.flush().catch(() => {});
  };
  /** Re-applies edits stashed by a page that went away before saving them (fields already stored are skipped). */
  const restore = (stored: Customer): void => {
    if (!active) return;
    const patch = stash.take();
    if (!patch) return;
    for (const field of EDITABLE_FIELDS) {
      if (field in patch && key(patch[field]) !== key(stored[field])) {
        setField(field, formValue(field, patch[field]));
      }
    }
  };

  const openEditor = (): CustomerEditor => {
    if (editor) return editor;
    const created = client.createEditor(id, editorOptions);
    editor = created;
    created.subscribe(() => sync(created));
    return created;
  };
  const closeEditor = (): void => {
    const closing = editor;
    editor = undefined;
    clearTimeout(hold);
    // Disposing saves what is pending; after unmount nobody can show a failure.
    closing?.dispose().catch(() => {});
  };

  /** Takes what the core editor knows into the state. */
  const sync = (source: CustomerEditor): void => {
    if (source !== editor) return;
    const stored = source.stored();
    if (stored && stored !== knownStored) {
      knownStored = stored;
      store.dispatch({
        type: 'stored',
        customer: stored,
        pending: source.pendingPatch(),
        saving: source.status().state === 'saving',
      });
    }
    const status = source.status();
    if (status !== knownStatus) {
      knownStatus = status;
      if (status.state === 'saved') stash.clear();
      show(status);
    }
  };

  /** Holds "saving" for `minSavingMs` once shown, then shows what the editor says. */
  const show = (status: UpdateStatus): void => {
    const shown = store.getSnapshot().shown;
    clearTimeout(hold);
    if (status.state === 'saving') {
      if (shown !== 'saving') savingSince = Date.now();
      store.dispatch({ type: 'status', save: status, shown: 'saving' });
      return;
    }
    const wait = savingSince + minSavingMs - Date.now();
    if (status.state === 'saved' && shown === 'saving' && wait > 0) {
      store.dispatch({ type: 'status', save: status, shown: 'saving' });
      hold = setTimeout(() => {
        const now = editor?.status() ?? status;
        store.dispatch({ type: 'status', save: now, shown: now.state });
      }, wait);
      return;
    }
    store.dispatch({ type: 'status', save: status, shown: status.state });
  };

  const setField = <F extends EditableField>(field: F, value: CustomerFormValue<F>) => {
    const target = openEditor();
    const error = target.set(field, value);
    const normalized = error ? undefined : target.pendingPatch()[field];
    store.dispatch({ type: 'edited', field, value, error, normalized });
    // Outside a mounted component nothing would dispose the editor later: save now.
    if (!active) closeEditor();
    return error;
  };

  return {
    ...store,
    setField,
    resolveConflict(choice, field) {
      const conflicts = store.getSnapshot().conflict?.fields ?? [];
      const chosen = conflicts.filter((c) => field === undefined || c.field === field);
      if (choice === 'theirs') {
        for (const c of chosen) setField(c.field, c.theirs);
      }
      store.dispatch({ type: 'resolved', fields: chosen.map((c) => c.field) });
    },
    flush: () => editor?.flush() ?? Promise.resolve(),
  };
}
