/**
 * "API keys" (admins): every active key with its name, role, origin, creation and last use;
 * create a named key (shown once, with a copy button) and revoke one after a confirmation.
 */
import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@contract/constants';
import type { ApiKeyInfo, CreatedKey } from '@contract/accountability-types';
import { Page, PageHeader } from '@/components/layout';
import {
  AlertDialog,
  Badge,
  Button,
  CopyButton,
  Dialog,
  ErrorState,
  RelativeTime,
  Select,
  Spinner,
  TextField,
  describeError,
  toast,
} from '@/components/ui';
import { useCurrentSession } from '@/features/auth';
import '@/styles/admin-pages.css';
import { useCreateApiKey } from '../api/create-key';
import { useApiKeys } from '../api/list-keys';
import { useRevokeApiKey } from '../api/revoke-key';

const ORIGIN_LABELS: Record<ApiKeyInfo['origin'], string> = {
  env: 'Environment',
  file: 'Key file',
  api: 'Created here',
};

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role }));

/** The form of a new key, then the key itself, shown once. */
function CreateKeyDialog() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const create = useCreateApiKey();

  const reset = () => {
    setName('');
    setRole('editor');
    setCreated(null);
    create.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), role }, { onSuccess: (key) => setCreated(key) });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
      trigger={<Button variant="primary">Create key</Button>}
      title={created ? `Key “${created.name}” created` : 'Create an API key'}
      description={
        created
          ? 'Copy the key now: it is shown only once. The server keeps only its hash.'
          : 'Name it after the person or service that will use it; every change they make is recorded with this name.'
      }
      footer={
        created ? (
          <Button variant="primary" onClick={() => setOpen(false)}>
            Done
          </Button>
        ) : (
          <>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="create-key-form" loading={create.isPending} disabled={name.trim() === ''}>
              Create key
            </Button>
          </>
        )
      }
    >
      {created ? (
        <div className="api-key-secret">
          <TextField label="New API key" readOnly value={created.key} onFocus={(event) => event.currentTarget.select()} />
          <CopyButton text={created.key} label="Copy the new key">
            Copy key
          </CopyButton>
        </div>
      ) : (
        <form id="create-key-form" onSubmit={submit} className="api-key-form">
          <TextField label="Name" value={name} maxLength={100} required onChange={(event) => setName(event.target.value)} />
          <Select
            label="Role"
            value={role}
            options={ROLE_OPTIONS}
            onChange={(event) => setRole(event.target.value as Role)}
          />
          {create.isError && <p role="alert">{describeError(create.error).message}</p>}
        </form>
      )}
    </Dialog>
  );
}

function RevokeKeyButton({ apiKey, isCurrent }: { apiKey: ApiKeyInfo; isCurrent: boolean }) {
  const revoke = useRevokeApiKey();
  return (
    <AlertDialog
      trigger={
        <Button size="sm" variant="ghost">
          Revoke <span className="sr-only">{apiKey.name}</span>
        </Button>
      }
      title={`Revoke “${apiKey.name}”?`}
      description={
        isCurrent
          ? 'This is the key you are signed in with: you will be signed out at once. Requests and sessions using it stop working immediately.'
          : 'Requests and sessions using this key stop working immediately. This cannot be undone.'
      }
      confirmLabel="Revoke key"
      onConfirm={() =>
        revoke.mutateAsync(apiKey.id).then(
          () => {
            toast.success(`Key “${apiKey.name}” revoked`);
          },
          (error: unknown) => {
            toast.error('Could not revoke the key', { description: describeError(error).message });
            throw error;
          },
        )
      }
    />
  );
}

/** The page at /keys (the router shows it to admins only). */
export function ApiKeysPage() {
  const keys = useApiKeys();
  const currentKeyId = useCurrentSession()?.key?.id;
  return (
    <Page>
      <PageHeader
        title="API keys"
        description="Who may use the API and the dashboard. Each key has a name, so the history and the activity log say who did what."
        actions={<CreateKeyDialog />}
      />
      {keys.isPending ? (
        <Spinner label="Loading keys" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} retrying={keys.isFetching} />
      ) : (
        <table className="data-table">
          <caption className="sr-only">Active API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Origin</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <th scope="row">
                  {key.name}
                  {key.id === currentKeyId && (
                    <>
                      {' '}
                      <Badge tone="neutral">you</Badge>
                    </>
                  )}
                </th>
                <td>
                  <Badge tone={key.role === 'admin' ? 'indigo' : key.role === 'editor' ? 'blue' : 'neutral'}>{key.role}</Badge>
                </td>
                <td>{ORIGIN_LABELS[key.origin]}</td>
                <td>
                  <RelativeTime date={key.created_at} />
                </td>
                <td>{key.last_used_at ? <RelativeTime date={key.last_used_at} /> : 'never'}</td>
                <td>
                  <RevokeKeyButton apiKey={key} isCurrent={key.id === currentKeyId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
