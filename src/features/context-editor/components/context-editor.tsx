/**
 * The context editor: a JSON document (or a merge patch) and session_id in a
 * react-hook-form form, saved merge-style (../lib/save-flow.ts): fetch the latest, merge,
 * review the exact diff, PATCH with If-Match, re-merge on 412, let the user settle
 * conflicts.
 *
 * This module is the lazily loaded chunk (React.lazy in ./lazy-context-editor.tsx): it
 * brings Monaco, react-hook-form and the contract's zod schemas, none of which belong in
 * the dashboard's first load.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useController, useForm, useWatch } from 'react-hook-form';
import type { Role } from '@contract/constants';
import { updateContextBodySchema } from '@contract/schemas';
import type { JsonObject } from '@contract/types';
import { AlertDialog, Button, Kbd, TextField, toast } from '@/components/ui';
import type { ContextWithEtag } from '@/features/contexts/api/get-context';
import type { ConflictChoice, MergeConflict } from '@/lib/merge-patch';
import { useCountdown } from '../hooks/use-countdown';
import { useDocumentTheme } from '../hooks/use-document-theme';
import { useSaveFlow, type SavedResult, type SavePhase, type Step } from '../hooks/use-save-flow';
import {
  clearDrafts,
  loadDraft,
  noteUnsavedEdits,
  resumeDraftWrites,
  saveDraft,
  type EditorDraft,
  type EditorMode,
} from '../lib/draft-storage';
import { formatJson, parseContextText, type ContextParseResult } from '../lib/json-text';
import { attemptChanges, documentAttempt, patchAttempt, summarizeChanges, toEditable, type EditableDoc } from '../lib/save-flow';
import { ConflictView } from './conflict-view';
import JsonCodeEditor, { type EditorMarker, type JsonCodeEditorHandle } from './json-code-editor';
import { Notice, versionLabel } from './notice';
import { ReviewView } from './review-view';
import './context-editor.css';

export interface ContextEditorProps {
  /** The version on screen when Edit was pressed: the base of the merge. */
  initial: ContextWithEtag;
  /** The signed-in role (explains a 403). */
  role: Role | null;
  /** Leave edit mode: after a save, after discarding, or when nothing was changed. */
  onExit: () => void;
  /** Whether there are unsaved edits (the drawer asks before closing). */
  onDirtyChange?: (dirty: boolean) => void;
  /** The editor accepts input (used by the benchmarks). */
  onReady?: () => void;
  /**
   * The context was deleted (a 404 while saving); it is already gone from the caches.
   * Gets the user's current text, so that it can still be copied.
   */
  onGone?: (edits: string) => void;
}

interface FormValues {
  document: string;
  patch: string;
  session_id: string;
}

/** The patch editor starts as an empty object with the cursor's line ready inside. */
export const EMPTY_PATCH = '{\n  \n}';
const isEmptyPatchText = (text: string) => text.replace(/\s/g, '') === '{}';

/** Where editing starts: a restored draft, or the version on screen. */
interface EditStart {
  base: EditableDoc;
  baseEtag: string | null;
  mode: EditorMode;
  values: FormValues;
  /** The texts of `base`, to tell edits from no edits. */
  baseline: { document: string; session_id: string };
  restored: EditorDraft | null;
}

function startFrom(initial: ContextWithEtag, useDraft: boolean): EditStart {
  const draft = useDraft ? loadDraft(initial.context.id) : null;
  if (draft) {
    return {
      base: draft.base,
      baseEtag: draft.baseEtag,
      mode: draft.mode,
      values: { document: draft.documentText, patch: draft.patchText || EMPTY_PATCH, session_id: draft.sessionId },
      baseline: { document: formatJson(draft.base.context), session_id: draft.base.session_id ?? '' },
      restored: draft,
    };
  }
  const base = toEditable(initial.context);
  const document = formatJson(base.context);
  const session = base.session_id ?? '';
  return {
    base,
    baseEtag: initial.etag,
    mode: 'document',
    values: { document, patch: EMPTY_PATCH, session_id: session },
    baseline: { document, session_id: session },
    restored: null,
  };
}

/** The session_id field: empty clears it (null); otherwise the contract's identifier rule. */
const sessionValue = (text: string): string | null => (text.trim() === '' ? null : text.trim());

function validateSessionId(text: string): true | string {
  const result = updateContextBodySchema.shape.session_id.safeParse(sessionValue(text));
  if (result.success) return true;
  const issue = result.error.issues[0];
  if (issue?.code === 'too_big') return `session_id can be at most ${String(issue.maximum)} characters.`;
  return `session_id is not valid: ${issue?.message ?? 'unknown problem'}.`;
}

/**
 * One parse per text, shared by validation, the error message and the save: a 1 MB
 * document should be parsed once per change, not three times. Module-level because it
 * is a pure memo (the text is the key), not component state.
 */
const lastParsed: { document?: [string, ContextParseResult]; patch?: [string, ContextParseResult] } = {};
function parse(field: 'document' | 'patch', text: string): ContextParseResult {
  const cached = lastParsed[field];
  if (cached && cached[0] === text) return cached[1];
  const result = parseContextText(text, field === 'patch' ? 'A merge patch' : 'The context');
  lastParsed[field] = [text, result];
  return result;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** Larger documents get a longer pause before they are parsed again while typing. */
const parseDelay = (length: number) => (length > 200_000 ? 300 : length > 20_000 ? 120 : 40);

/** `merging`: re-merging after a 412 — neither the old diff nor the editor applies. */
type View = 'edit' | 'review' | 'conflicts' | 'merging';

const stepView = (step: Step): View => (step.kind === 'commit' ? 'review' : step.rebased ? 'merging' : 'edit');

function viewOf(phase: SavePhase): View {
  switch (phase.kind) {
    case 'review':
    case 'committing':
      return 'review';
    case 'conflicts':
      return 'conflicts';
    case 'preparing':
      return phase.rebased ? 'merging' : 'edit';
    case 'waiting':
      return stepView(phase.step);
    case 'failed':
      // Field errors are shown by the fields; other failures keep the view they happened in.
      if (phase.failure.kind === 'invalid' || phase.failure.kind === 'too-large') return 'edit';
      return stepView(phase.step);
    default:
      return 'edit';
  }
}

export default function ContextEditor({ initial, role, onExit, onDirtyChange, onReady, onGone }: ContextEditorProps) {
  const contextId = initial.context.id;
  const theme = useDocumentTheme();
  const [start, setStart] = useState(() => startFrom(initial, true));
  const [mode, setMode] = useState<EditorMode>(start.mode);
  // Bumped to re-create the editors (with new default text) after a draft is discarded.
  const [generation, setGeneration] = useState(0);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [draftTooLarge, setDraftTooLarge] = useState(false);
  // The JSON language service's warnings (e.g. a duplicate key, which our own parse also
  // refuses) — errors come from our own parse, which decides Save.
  const [warning, setWarning] = useState<EditorMarker | null>(null);
  // Choices belong to one list of conflicts: a new list (after another 412) starts empty.
  const [choiceState, setChoiceState] = useState<{ for: readonly MergeConflict[] | null; choices: Record<string, ConflictChoice> }>({
    for: null,
    choices: {},
  });
  const editorRef = useRef<JsonCodeEditorHandle | null>(null);
  const rootRef = useRef<HTMLDivElement | null>(null);
  // The mode as validation and timers see it (updated together with `mode`).
  const modeRef = useRef(mode);
  const ids = { tabs: useId(), panel: useId(), error: useId(), saveReason: useId() };

  const form = useForm<FormValues>({ defaultValues: start.values, mode: 'onChange' });
  const { control, register, formState, setValue, getValues, trigger } = form;
  const { field: documentField } = useController({
    control,
    name: 'document',
    rules: {
      validate: (text) => {
        if (modeRef.current !== 'document') return true;
        const result = parse('document', text);
        return result.ok || `Line ${result.error.line}, column ${result.error.column}: ${result.error.message}`;
      },
    },
  });
  const { field: patchField } = useController({
    control,
    name: 'patch',
    rules: {
      validate: (text) => {
        if (modeRef.current !== 'patch') return true;
        const result = parse('patch', text);
        return result.ok || `Line ${result.error.line}, column ${result.error.column}: ${result.error.message}`;
      },
    },
  });
  const values = useWatch({ control });

  const documentText = values.document ?? '';
  const patchText = values.patch ?? EMPTY_PATCH;
  const sessionText = values.session_id ?? '';
  const sessionChanged = sessionText.trim() !== start.baseline.session_id;
  const documentChanged = documentText !== start.baseline.document;
  const patchChanged = !isEmptyPatchText(patchText);
  const dirty = pending || documentChanged || patchChanged || sessionChanged;
  const hasChangeToSave = pending || sessionChanged || (mode === 'document' ? documentChanged : patchChanged);

  // ---- saving ----
  const handleSaved = useCallback(
    ({ saved, changes }: SavedResult) => {
      clearDrafts(contextId);
      toast.success(`Saved ${contextId}: ${summarizeChanges(changes)}`, {
        description: `Now ${versionLabel(saved.etag)}.`,
      });
      onDirtyChange?.(false);
      onExit();
    },
    [contextId, onDirtyChange, onExit],
  );
  const handleGone = useCallback(() => {
    // Nothing can be saved any more: the draft goes, the text is offered for copying.
    const current = getValues();
    const edits = modeRef.current === 'document' ? current.document : current.patch;
    clearDrafts(contextId);
    onDirtyChange?.(false);
    onGone?.(editorRef.current?.getText() ?? edits);
  }, [contextId, getValues, onDirtyChange, onGone]);
  const flow = useSaveFlow({ contextId, role, onSaved: handleSaved, onGone: handleGone });
  const { phase } = flow;
  const view = viewOf(phase);
  const choices = phase.kind === 'conflicts' && choiceState.for === phase.conflicts ? choiceState.choices : {};

  const busy = phase.kind === 'preparing' || phase.kind === 'committing' || phase.kind === 'waiting';
  const blocked = phase.kind === 'failed' && (phase.failure.kind === 'gone' || phase.failure.kind === 'forbidden');
  const activeError = mode === 'document' ? formState.errors.document : formState.errors.patch;
  const canSave = hasChangeToSave && !activeError && !formState.errors.session_id && !busy && !blocked && view === 'edit';

  /** Takes the editor's current text into the form now (typing is debounced). */
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(() => {
    clearTimeout(flushTimer.current);
    const text = editorRef.current?.getText();
    if (text !== undefined) {
      const name = modeRef.current === 'document' ? 'document' : 'patch';
      if (getValues(name) !== text) setValue(name, text, { shouldValidate: true, shouldDirty: true });
    }
    setPending(false);
  }, [getValues, setValue]);
  useEffect(() => () => clearTimeout(flushTimer.current), []);

  const save = useCallback(async () => {
    flush();
    const valid = await trigger();
    if (!valid) return;
    const current = getValues();
    const session = sessionValue(current.session_id);
    if (modeRef.current === 'document') {
      const parsed = parse('document', current.document);
      if (!parsed.ok) return;
      const attempt = documentAttempt(start.base, { context: parsed.value, session_id: session });
      if (!attemptChanges(attempt)) {
        toast.info('Nothing to save: the document is the same as when you started.');
        return;
      }
      flow.start(() => attempt);
    } else {
      const parsed = parse('patch', current.patch);
      if (!parsed.ok) return;
      const patch: JsonObject | null = parsed.value;
      flow.start((latest) => patchAttempt(latest, patch, { opened: start.base.session_id, edited: session }));
    }
  }, [flow, flush, getValues, start.base, trigger]);

  const requestSave = () => {
    if (canSave || (pending && view === 'edit' && !busy && !blocked)) void save();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      // Never the browser's "Save page" dialog while editing.
      event.preventDefault();
      if (view === 'edit') requestSave();
    }
  };

  // Editor changes arrive per keystroke; the form takes the text after a short pause.
  const onEditorChange = useCallback(
    (getText: () => string, length: number) => {
      setPending(true);
      clearTimeout(flushTimer.current);
      flushTimer.current = setTimeout(() => {
        const name = modeRef.current === 'document' ? 'document' : 'patch';
        setValue(name, getText(), { shouldValidate: true, shouldDirty: true });
        setPending(false);
      }, parseDelay(length));
      // A server complaint about the old text no longer applies once it changes.
      if (phase.kind === 'failed' && (phase.failure.kind === 'invalid' || phase.failure.kind === 'too-large')) flow.reset();
    },
    [flow, phase, setValue],
  );

  const switchMode = (next: EditorMode) => {
    if (next === mode) return;
    flush();
    modeRef.current = next;
    setMode(next);
    void trigger(['document', 'patch']);
  };

  // Editing takes the drawer's whole height: bring the editor to the top of the drawer's
  // scrolling body (the metadata above stays reachable by scrolling up).
  useEffect(() => {
    rootRef.current?.scrollIntoView?.({ block: 'start' });
  }, []);

  // ---- drafts, dirty state, leaving the page ----
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  // A new editor means someone signed in is editing: drafts may be written (sign-out
  // stops them until then).
  useEffect(() => resumeDraftWrites(), []);
  // Sign-out asks draft-storage which contexts hold unsaved edits, including those typed
  // in the last moment and not stored as a draft yet.
  useEffect(() => {
    noteUnsavedEdits(contextId, dirty);
    return () => noteUnsavedEdits(contextId, false);
  }, [contextId, dirty]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers need returnValue set to show the prompt.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (!(documentChanged || patchChanged || sessionChanged)) {
        clearDrafts(contextId);
        return;
      }
      const result = saveDraft({
        contextId,
        baseEtag: start.baseEtag ?? '',
        base: start.base,
        mode,
        documentText,
        patchText,
        sessionId: sessionText,
        savedAt: Date.now(),
      });
      setDraftTooLarge(result === 'too-large');
    }, 400);
    return () => clearTimeout(timer);
  }, [contextId, documentChanged, documentText, mode, patchChanged, patchText, sessionChanged, sessionText, start]);

  const discardDraft = () => {
    clearDrafts(contextId);
    const fresh = startFrom(initial, false);
    form.reset(fresh.values);
    setStart(fresh);
    modeRef.current = fresh.mode;
    setMode(fresh.mode);
    setGeneration((g) => g + 1);
    flow.reset();
  };

  const leave = () => {
    if (dirty) setConfirmDiscard(true);
    else onExit();
  };

  // ---- rendering ----
  const parseError = useMemo(() => {
    const text = mode === 'document' ? documentText : patchText;
    const result = parse(mode, text);
    return result.ok ? null : result.error;
  }, [mode, documentText, patchText]);
  const serverFields = phase.kind === 'failed' && phase.failure.kind === 'invalid' ? phase.failure.fields : {};
  const documentServerError =
    phase.kind === 'failed' && phase.failure.kind === 'too-large' ? phase.failure.message : serverFields.document;

  const reviewPlan =
    phase.kind === 'review' || phase.kind === 'committing'
      ? phase.plan
      : (phase.kind === 'waiting' || phase.kind === 'failed') && phase.step.kind === 'commit'
        ? phase.step.plan
        : null;
  const rebased = (phase.kind === 'review' || phase.kind === 'conflicts') && phase.rebased;
  // Why Save is off, in words next to it (and as its description for screen readers).
  const saveBlockedReason =
    view !== 'edit' || pending || !parseError
      ? null
      : parseError.kind === 'duplicate_key'
        ? `Save is disabled: a key appears twice in one object (line ${parseError.line}). Remove or rename the duplicate.`
        : parseError.kind === 'too_deep'
          ? `Save is disabled: the document is nested too deeply (line ${parseError.line}).`
          : `Save is disabled until the JSON is valid (line ${parseError.line}, column ${parseError.column}).`;
  const modeLabel = mode === 'document' ? 'Context JSON' : 'Merge patch JSON';

  return (
    <div ref={rootRef} className="ctx-editor" onKeyDown={onKeyDown}>
      {start.restored && view === 'edit' && (
        <Notice
          tone="info"
          title="Restored your unsaved draft"
          actions={
            <Button size="sm" variant="secondary" onClick={discardDraft}>
              Discard draft
            </Button>
          }
        >
          Kept in this tab since {new Date(start.restored.savedAt).toLocaleTimeString()}, started from{' '}
          {versionLabel(start.restored.baseEtag)}.
          {initial.etag && initial.etag !== start.restored.baseEtag
            ? ` The context has changed since (now ${versionLabel(initial.etag)}); your edits are merged into the latest version when you save.`
            : ''}
        </Notice>
      )}
      <PhaseNotice phase={phase} onRetry={flow.retry} onCancel={flow.reset} onClose={onExit} />

      <div className="ctx-editor__edit" hidden={view !== 'edit'}>
        <div className="ctx-editor__toolbar">
          <div role="tablist" aria-label="Editing mode" className="ctx-tabs" id={ids.tabs}>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'document'}
              aria-controls={ids.panel}
              className="ctx-tabs__tab"
              onClick={() => switchMode('document')}
            >
              Edit document
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'patch'}
              aria-controls={ids.panel}
              className="ctx-tabs__tab"
              onClick={() => switchMode('patch')}
            >
              Apply merge patch
            </button>
          </div>
          <TextField
            label="session_id"
            size="sm"
            className="ctx-editor__session"
            placeholder="none"
            autoComplete="off"
            spellCheck={false}
            error={formState.errors.session_id?.message ?? serverFields.session_id}
            {...register('session_id', { validate: validateSessionId })}
          />
        </div>
        <div role="tabpanel" id={ids.panel} aria-label={mode === 'document' ? 'Edit document' : 'Apply merge patch'} className="ctx-editor__panel">
          <p className="ctx-editor__hint">
            {mode === 'document' ? (
              <>The whole context document, an object or null. Saving merges your changes into the latest version.</>
            ) : (
              <>
                A partial object merged into the latest version (RFC 7386): <code>{'{"progress": 90}'}</code> sets a key,{' '}
                <code>null</code> removes one.
              </>
            )}
          </p>
          <div className="ctx-editor__frame" data-invalid={activeError || documentServerError ? true : undefined}>
            <JsonCodeEditor
              key={`${generation}:${mode}`}
              ref={editorRef}
              defaultValue={mode === 'document' ? documentField.value : patchField.value}
              path={`inmemory://ecc/${encodeURIComponent(contextId)}/${generation}/${mode}.json`}
              ariaLabel={modeLabel}
              theme={theme}
              onChange={onEditorChange}
              onMarkers={(markers) => setWarning(markers.find((m) => m.severity === 'warning') ?? null)}
              onSave={requestSave}
              onReady={onReady}
              readOnly={blocked}
              autoFocus
              initialPosition={mode === 'patch' && isEmptyPatchText(patchField.value) ? { line: 2, column: 3 } : undefined}
            />
          </div>
          <div id={ids.error} className="ctx-editor__status" aria-live="polite">
            {parseError && !pending ? (
              <p className="ctx-editor__error">
                <span>
                  Line {parseError.line}, column {parseError.column}: {parseError.message}
                </span>
                <Button size="sm" variant="ghost" onClick={() => editorRef.current?.revealPosition(parseError.line, parseError.column)}>
                  Go to line {parseError.line}
                </Button>
              </p>
            ) : documentServerError ? (
              <p className="ctx-editor__error" role="alert">
                {documentServerError}
              </p>
            ) : warning && !pending ? (
              <p className="ctx-editor__note">
                <span>
                  Line {warning.line}: {warning.message}
                  {/duplicate/i.test(warning.message) ? ' — each key may appear only once; remove the duplicate to save.' : ''}
                </span>
                <Button size="sm" variant="ghost" onClick={() => editorRef.current?.revealPosition(warning.line, warning.column)}>
                  Go to line {warning.line}
                </Button>
              </p>
            ) : draftTooLarge ? (
              <p className="ctx-editor__note">This draft is too large to keep across a reload of the page.</p>
            ) : mode === 'patch' && documentChanged && !patchChanged ? (
              <p className="ctx-editor__note">Your unsaved edits in “Edit document” are kept; switch back to save them.</p>
            ) : dirty ? (
              <p className="ctx-editor__note">Unsaved changes — kept in this tab until you save or discard them.</p>
            ) : null}
          </div>
        </div>
      </div>

      {view === 'review' && reviewPlan && <ReviewView contextId={contextId} plan={reviewPlan} rebased={rebased} theme={theme} />}
      {view === 'conflicts' && phase.kind === 'conflicts' && (
        <ConflictView
          conflicts={phase.conflicts}
          choices={choices}
          onChoose={(pointer, choice) => setChoiceState({ for: phase.conflicts, choices: { ...choices, [pointer]: choice } })}
          onChooseAll={(choice) =>
            setChoiceState({ for: phase.conflicts, choices: Object.fromEntries(phase.conflicts.map((c) => [c.pointer, choice])) })
          }
          baseEtag={start.baseEtag}
          latestEtag={phase.latest.etag}
          rebased={phase.rebased}
        />
      )}

      <footer className="ctx-editor__footer">
        {view === 'edit' && (
          <>
            {saveBlockedReason && (
              <p id={ids.saveReason} className="ctx-editor__save-reason">
                {saveBlockedReason}
              </p>
            )}
            <Button variant="ghost" onClick={leave}>
              Cancel
            </Button>
            <Button
              variant="primary"
              onClick={requestSave}
              disabled={!canSave}
              aria-describedby={saveBlockedReason ? ids.saveReason : undefined}
              loading={phase.kind === 'preparing'}
              // The shortcut is announced through aria-keyshortcuts, not as part of the name.
              trailingIcon={
                <span aria-hidden="true">
                  <Kbd className="ctx-editor__kbd">{isMac ? '⌘S' : 'Ctrl+S'}</Kbd>
                </span>
              }
              aria-keyshortcuts={isMac ? 'Meta+S' : 'Control+S'}
            >
              Save
            </Button>
          </>
        )}
        {view === 'review' && (
          <>
            <Button variant="ghost" onClick={flow.reset} disabled={phase.kind === 'committing'}>
              Back to editing
            </Button>
            <Button
              variant="primary"
              onClick={flow.confirm}
              disabled={phase.kind !== 'review'}
              loading={phase.kind === 'committing' || (phase.kind === 'waiting' && phase.step.kind === 'commit')}
            >
              Confirm save
            </Button>
          </>
        )}
        {view === 'merging' && (
          <Button variant="ghost" onClick={flow.reset} disabled={phase.kind === 'preparing'}>
            Back to editing
          </Button>
        )}
        {view === 'conflicts' && phase.kind === 'conflicts' && (
          <>
            <Button variant="ghost" onClick={flow.reset}>
              Back to editing
            </Button>
            <Button
              variant="primary"
              onClick={() => flow.resolve(choices)}
              disabled={phase.conflicts.some((c) => choices[c.pointer] === undefined)}
            >
              Review merged result
            </Button>
          </>
        )}
      </footer>

      <AlertDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard your unsaved edits?"
        description={`Your changes to ${contextId} have not been saved. Discarding them cannot be undone.`}
        confirmLabel="Discard edits"
        cancelLabel="Keep editing"
        onConfirm={() => {
          clearDrafts(contextId);
          onDirtyChange?.(false);
          onExit();
        }}
      />
    </div>
  );
}

/** Progress and failures of the save, above the editor or the review. */
function PhaseNotice({
  phase,
  onRetry,
  onCancel,
  onClose,
}: {
  phase: SavePhase;
  onRetry: () => void;
  onCancel: () => void;
  onClose: () => void;
}) {
  const seconds = useCountdown(phase.kind === 'waiting' ? phase.retryAt : null);
  switch (phase.kind) {
    case 'preparing':
      return (
        <Notice tone="progress" title={phase.rebased ? 'Someone else saved in the meantime' : 'Fetching the latest version…'}>
          {phase.rebased ? 'Merging your change into their version…' : 'Your change is merged into it before anything is saved.'}
        </Notice>
      );
    case 'unchanged':
      return (
        <Notice
          tone="success"
          title="Nothing to save"
          actions={
            <>
              <Button size="sm" variant="ghost" onClick={onCancel}>
                Back to editing
              </Button>
              <Button size="sm" onClick={onClose}>
                Close editor
              </Button>
            </>
          }
        >
          The latest version ({versionLabel(phase.latest.etag)}) already holds exactly these values.
        </Notice>
      );
    case 'waiting':
      return (
        <Notice
          tone="warning"
          title="The server's rate limit was reached"
          actions={
            <Button size="sm" variant="ghost" onClick={onCancel}>
              Cancel
            </Button>
          }
        >
          {describeStep(phase.step)} again automatically in <span className="tabular">{seconds}</span> s. Your edits are kept.
        </Notice>
      );
    case 'failed':
      return <FailureNotice phase={phase} onRetry={onRetry} onClose={onClose} />;
    default:
      return null;
  }
}

const describeStep = (step: Step) => (step.kind === 'commit' ? 'Saving' : 'Fetching the latest version');

function FailureNotice({
  phase,
  onRetry,
  onClose,
}: {
  phase: Extract<SavePhase, { kind: 'failed' }>;
  onRetry: () => void;
  onClose: () => void;
}) {
  const { failure } = phase;
  switch (failure.kind) {
    case 'invalid':
      return (
        <Notice tone="danger" title="The server refused the change">
          {failure.message}. Fix the field marked below and save again.
        </Notice>
      );
    case 'too-large':
      return (
        <Notice tone="danger" title="The document is too large">
          {failure.message}
        </Notice>
      );
    case 'forbidden':
      return (
        <Notice tone="danger" title="You can't edit contexts">
          {failure.message}
        </Notice>
      );
    case 'gone':
      return (
        <Notice
          tone="danger"
          title="This context was deleted"
          actions={
            <Button size="sm" onClick={onClose}>
              Close editor
            </Button>
          }
        >
          {failure.message}
        </Notice>
      );
    case 'network':
      return (
        <Notice
          tone="danger"
          title="Couldn't reach the server"
          actions={
            <Button size="sm" onClick={onRetry}>
              Retry
            </Button>
          }
        >
          Nothing was saved. Your edits are kept in this tab, even across a reload; retry when the connection is back.
        </Notice>
      );
    default:
      return (
        <Notice
          tone="danger"
          title="The save failed"
          actions={
            phase.retryable ? (
              <Button size="sm" onClick={onRetry}>
                Retry
              </Button>
            ) : undefined
          }
        >
          {failure.message}
        </Notice>
      );
  }
}
