import { Link } from 'wouter';
import { buttonClassName, EmptyState, SearchIcon } from '@/components/ui';

export function NotFoundPage() {
  return (
    <div className="page">
      <EmptyState
        headingLevel={1}
        icon={<SearchIcon size={20} />}
        title="Page not found"
        description="There is nothing at this address. It may have been mistyped or moved."
        action={
          <Link href="/contexts" className={buttonClassName({ variant: 'primary' })}>
            Go to contexts
          </Link>
        }
      />
    </div>
  );
}
