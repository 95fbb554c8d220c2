import config from '@payload-config'
import { getPayload } from 'payload'

export const dynamic = 'force-dynamic'

/** Placeholder home page: the published questions, read as the public reads them. */
const Home = async () => {
  const payload = await getPayload({ config })
  const { docs } = await payload.find({
    collection: 'articles',
    overrideAccess: false,
    depth: 0,
    limit: 20,
    sort: '-lastUpdated',
    select: { question: true, slug: true },
  })
  return (
    <main>
      <h1>Vetted</h1>
      <p>Clinical questions, answered and reviewed by our medical advisory board.</p>
      <ul>
        {docs.map((article) => (
          <li key={article.id}>
            <a href={`/api/articles?where[slug][equals]=${encodeURIComponent(article.slug ?? '')}`}>{article.question}</a>
          </li>
        ))}
      </ul>
      <p>
        <a href="/admin">Editors and reviewers sign in</a>
      </p>
    </main>
  )
}

export default Home
