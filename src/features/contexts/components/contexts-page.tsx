/**
 * The contexts browse screen (issue #3). Stub so the router can import it while the
 * real page is being built.
 */
export function ContextsPage() {
  return (
    <main>
      <h1>Execution contexts</h1>
    </main>
  );
}
