import { listArticles, PAGE_SIZE } from '../../site/data'

export const dynamic = 'force-dynamic'

type Args = { searchParams: Promise<{ q?: string; page?: string }> }

/** The published questions, newest first, with search by question text and paging. */
const Home = async ({ searchParams }: Args) => {
  const { q = '', page = '1' } = await searchParams
  const query = q.trim().slice(0, 200)
  const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(page, 10) || 1))
  const result = await listArticles(query, pageNumber)
  const link = (target: number) => `/?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(target) }).toString()}`
  return (
    <main>
      <h1>Vetted</h1>
      <p>Clinical questions, answered and reviewed by our medical advisory board.</p>
      <form method="get" action="/" role="search">
        <label>
          Search questions <input type="search" name="q" defaultValue={query} maxLength={200} />
        </label>{' '}
        <button type="submit">Search</button>
      </form>
      <p data-result-count>
        {result.totalDocs} {result.totalDocs === 1 ? 'question' : 'questions'}
        {query ? ` matching “${query}”` : ''}
      </p>
      <ul data-question-list>
        {result.docs.map((article) => (
          <li key={article.id}>
            <a href={`/questions/${article.slug}`}>{article.question}</a>
          </li>
        ))}
      </ul>
      {result.totalPages > 1 ? (
        <nav aria-label="Pages">
          {result.hasPrevPage ? <a href={link(pageNumber - 1)}>Previous</a> : null} Page {result.page} of {result.totalPages} ({PAGE_SIZE} per page){' '}
          {result.hasNextPage ? <a href={link(pageNumber + 1)}>Next</a> : null}
        </nav>
      ) : null}
      <p>
        <a href="/editorial-policy">Editorial policy</a> · <a href="/advisory-board">Medical advisory board</a> · <a href="/admin">Staff sign-in</a>
      </p>
    </main>
  )
}

export default Home
