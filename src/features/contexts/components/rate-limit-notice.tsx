import { Spinner } from '@/components/ui';

/**
 * The calm message while reads are held back by the rate limit. It says what happens
 * next (loading resumes by itself) and when, so nobody clicks Retry in a loop.
 */
export function RateLimitNotice({ seconds }: { seconds: number }) {
  return (
    <div className="ctx-notice" role="status">
      <Spinner size={14} label={null} />
      <span>
        Pausing briefly: the read limit was reached. Loading resumes by itself in{' '}
        <strong className="ctx-notice__count">{seconds} s</strong>.
      </span>
    </div>
  );
}
