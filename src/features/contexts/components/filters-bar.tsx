/**
 * The filters: the search box (`q`, text inside contexts, with the last searches), "Add
 * condition" (`where`), agent and workflow ids (debounced text), statuses (a checkbox
 * group in a popover), "not updated since" (a date), then every active filter and
 * condition as a removable chip.
 * The URL holds the truth; this component keeps drafts only while the user types, and
 * takes the URL's value again whenever it changes underneath (Back/Forward, a chip).
 */
import { useRef, useState, type Ref } from 'react';
import type { ContextStatus } from '@contract/constants';
import { Q_MIN_CHARS, checkSearchText } from '@contract/search/search-params';
import { Button, Checkbox, Kbd, STATUS_OPTIONS, SearchIcon, TextField, XIcon, statusLabel } from '@/components/ui';
import {
  filterChips,
  hasActiveFilters,
  normalizeFilters,
  withoutFilter,
  type ContextListFilters,
  type FilterChip,
} from '../filters';
import { describeSearch, loadRecentSearches, rememberSearch, type RecentSearch } from '../lib/recent-searches';
import { ConditionBuilder } from './condition-builder';
import { useDebouncedCallback } from '../hooks/use-debounced-callback';
import type { NavigateOptions } from '../hooks/use-context-filters';
import { historyModeFor, type TypingBurst } from '../lib/typing-history';
import { Popover } from './popover';

export const TYPING_DEBOUNCE_MS = 300;

export interface FiltersBarProps {
  filters: ContextListFilters;
  onChange: (filters: ContextListFilters, options?: NavigateOptions) => void;
  onClear: () => void;
  /** The first field, for the `/` shortcut. */
  firstFieldRef?: Ref<HTMLInputElement>;
}

type TextKey = 'agentId' | 'workflowId' | 'updatedBefore' | 'q';

/**
 * A draft that follows `value` until the user edits it, and follows it again when `value`
 * changes (state derived during render, as React recommends, not in an effect).
 */
function useDraft(value: string) {
  const [draft, setDraft] = useState(value);
  const [source, setSource] = useState(value);
  if (source !== value) {
    setSource(value);
    setDraft(value);
  }
  return [draft, setDraft] as const;
}

const dayOf = (value: string | null) => (value === null ? '' : value.slice(0, 10));

function statusButtonText(statuses: readonly ContextStatus[]): string {
  if (statuses.length === 0) return 'Any';
  if (statuses.length <= 2) return statuses.map(statusLabel).join(', ');
  return `${statuses.length} selected`;
}

/** What the search box says about its draft: nothing, or why it is not searched yet. */
function searchDraftError(draft: string): string | undefined {
  const text = draft.trim();
  if (text === '') return undefined;
  const issue = checkSearchText(text);
  if (!issue) return undefined;
  return issue.expected[0] === `at least ${Q_MIN_CHARS} characters` ? `Type at least ${Q_MIN_CHARS} characters` : issue.message;
}

export function FiltersBar({ filters, onChange, onClear, firstFieldRef }: FiltersBarProps) {
  const [q, setQ] = useDraft(filters.q ?? '');
  const [recent, setRecent] = useState<RecentSearch[]>(loadRecentSearches);
  const [agent, setAgent] = useDraft(filters.agentId ?? '');
  const [workflow, setWorkflow] = useDraft(filters.workflowId ?? '');
  const [day, setDay] = useDraft(dayOf(filters.updatedBefore));
  const burst = useRef<TypingBurst | null>(null);

  // All drafts are applied together (the debouncer runs the latest render's callback), so
  // typing in a second field before the first one's commit never loses the first.
  const commit = useDebouncedCallback((field: TextKey) => {
    const next = normalizeFilters({
      ...filters,
      q,
      agentId: agent,
      workflowId: workflow,
      // An untouched day keeps a full RFC 3339 time that came with a link.
      updatedBefore: day === dayOf(filters.updatedBefore) ? filters.updatedBefore : day,
    });
    const now = Date.now();
    const mode = historyModeFor(burst.current, field, now);
    burst.current = { field, at: now };
    onChange(next, { replace: mode === 'replace' });
  }, TYPING_DEBOUNCE_MS);

  const edit = (field: TextKey, value: string, set: (v: string) => void) => {
    set(value);
    commit.call(field);
  };

  const endBurst = () => {
    commit.flush();
    burst.current = null;
  };

  /** Remembers the search now shown (after Enter, leaving the box, adding a condition). */
  const remember = (search: RecentSearch) => {
    if (search.q !== null || search.where.length > 0) setRecent(rememberSearch(search));
  };

  const endSearchBurst = () => {
    endBurst();
    const text = q.trim();
    remember({ q: text !== '' && checkSearchText(text) === null ? text : null, where: filters.where });
  };

  const addCondition = (condition: string) => {
    endBurst();
    const next = normalizeFilters({ ...filters, where: [...filters.where, condition] });
    onChange(next);
    remember({ q: next.q, where: next.where });
  };

  const applyRecent = (search: RecentSearch) => {
    commit.cancel();
    burst.current = null;
    onChange(normalizeFilters({ ...filters, q: search.q, where: search.where }));
    remember(search);
  };

  const toggleStatus = (status: ContextStatus, checked: boolean) => {
    endBurst();
    const statuses = checked ? [...filters.statuses, status] : filters.statuses.filter((s) => s !== status);
    onChange(normalizeFilters({ ...filters, statuses }));
  };

  const removeChip = (chip: FilterChip) => {
    commit.cancel();
    burst.current = null;
    onChange(withoutFilter(filters, chip.key, chip.index));
  };

  const chips = filterChips(filters);

  return (
    <div role="search" className="ctx-filters" aria-label="Filter contexts">
      <div className="ctx-filters__fields ctx-filters__fields--search">
        <TextField
          ref={firstFieldRef}
          type="search"
          label="Search contexts"
          hideLabel
          size="sm"
          placeholder="Search inside contexts: an email, an order number, an error…"
          leadingIcon={<SearchIcon size={14} />}
          value={q}
          error={searchDraftError(q)}
          onChange={(e) => edit('q', e.target.value, setQ)}
          onKeyDown={(e) => e.key === 'Enter' && endSearchBurst()}
          onBlur={endSearchBurst}
          autoComplete="off"
          spellCheck={false}
          trailing={q === '' ? <Kbd>/</Kbd> : undefined}
          className="ctx-filters__field ctx-filters__field--search"
        />
        {recent.length > 0 && (
          <Popover
            label="Recent"
            buttonLabel="Recent searches"
            panelLabel="Recent searches"
            buttonProps={{ size: 'sm', variant: 'ghost' }}
            align="end"
          >
            <ul className="ctx-recent">
              {recent.map((search) => (
                <li key={describeSearch(search)}>
                  <button type="button" className="ctx-recent__item" onClick={() => applyRecent(search)}>
                    {describeSearch(search)}
                  </button>
                </li>
              ))}
            </ul>
          </Popover>
        )}
        <ConditionBuilder onAdd={addCondition} />
      </div>
      <div className="ctx-filters__fields">
        <TextField
          label="Agent id"
          size="sm"
          placeholder="e.g. agent_123"
          value={agent}
          onChange={(e) => edit('agentId', e.target.value, setAgent)}
          onKeyDown={(e) => e.key === 'Enter' && endBurst()}
          onBlur={endBurst}
          autoComplete="off"
          spellCheck={false}
          className="ctx-filters__field ctx-filters__field--id"
        />
        <TextField
          label="Workflow id"
          size="sm"
          placeholder="e.g. wf_onboarding"
          value={workflow}
          onChange={(e) => edit('workflowId', e.target.value, setWorkflow)}
          onKeyDown={(e) => e.key === 'Enter' && endBurst()}
          onBlur={endBurst}
          autoComplete="off"
          spellCheck={false}
          className="ctx-filters__field ctx-filters__field--id"
        />
        <div className="ctx-filters__field">
          <span className="ui-field__label" aria-hidden="true">
            Status
          </span>
          <Popover
            label={statusButtonText(filters.statuses)}
            buttonLabel={`Status: ${filters.statuses.length === 0 ? 'any' : filters.statuses.map(statusLabel).join(', ')}`}
            panelLabel="Statuses to show"
            buttonProps={{ size: 'sm', className: 'ctx-status-button' }}
          >
            <fieldset className="ctx-status-options">
              <legend className="sr-only">Show contexts with these statuses</legend>
              {STATUS_OPTIONS.map((option) => (
                <Checkbox
                  key={option.value}
                  label={option.label}
                  checked={filters.statuses.includes(option.value)}
                  onChange={(e) => toggleStatus(option.value, e.target.checked)}
                />
              ))}
            </fieldset>
          </Popover>
        </div>
        <TextField
          type="date"
          label="Not updated since"
          size="sm"
          value={day}
          max={new Date().toISOString().slice(0, 10)}
          onChange={(e) => edit('updatedBefore', e.target.value, setDay)}
          onBlur={endBurst}
          className="ctx-filters__field ctx-filters__field--date"
        />
      </div>
      {hasActiveFilters(filters) && (
        <div className="ctx-chips">
          <span className="ctx-chips__label" id="ctx-chips-label">
            Filtered by
          </span>
          <ul className="ctx-chips__list" aria-labelledby="ctx-chips-label">
            {chips.map((chip) => (
              <li key={`${chip.key}:${chip.index ?? ''}`}>
                <button
                  type="button"
                  className="ctx-chip"
                  aria-label={`Remove filter ${chip.name}: ${chip.value}`}
                  onClick={() => removeChip(chip)}
                >
                  <span className="ctx-chip__name">{chip.name}:</span>
                  <span className="ctx-chip__value">{chip.value}</span>
                  <XIcon size={12} />
                </button>
              </li>
            ))}
          </ul>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              commit.cancel();
              burst.current = null;
              onClear();
            }}
          >
            Clear all
          </Button>
        </div>
      )}
    </div>
  );
}
