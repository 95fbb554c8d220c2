import type { Metadata } from 'next'
import { cookies } from 'next/headers'
import { notFound } from 'next/navigation'

import { REVIEW_STATE_LABELS } from '../../../../rules/workflow'
import { ArticleText } from '../../../../site/ArticleText'
import { getArticleBySlug, getEditionHistory, getPolicy } from '../../../../site/data'
import { AudienceSwitch, type Audience } from './AudienceSwitch'

export const dynamic = 'force-dynamic'

type Args = { params: Promise<{ slug: string }> }

const formatDate = (value?: string | null) =>
  value ? new Date(value).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }) : null

const REFERENCE_TYPE_LABELS: Record<string, string> = {
  guideline: 'Guideline',
  systematic_review: 'Systematic review',
  journal_article: 'Journal article',
  case_report: 'Case report',
  textbook: 'Textbook',
  website: 'Website',
  other: 'Other',
}

const STEPS = ['submitted', 'under_review', 'approved'] as const

export const generateMetadata = async ({ params }: Args): Promise<Metadata> => {
  const article = await getArticleBySlug((await params).slug)
  return { title: article ? `${article.question} · Vetted` : 'Not found · Vetted' }
}

const ArticlePage = async ({ params }: Args) => {
  const article = await getArticleBySlug((await params).slug)
  if (!article) notFound()
  const policy = await getPolicy()
  const audience: Audience = (await cookies()).get('audience')?.value === 'patient' ? 'patient' : 'clinician'
  const references = article.references
  const related = article.relatedQuestions
  const reviewer = article.reviewedBy
  const history = policy.showEditionHistory === false ? [] : await getEditionHistory(article.id)
  const pending = article.reviewStatus !== 'approved'
  const current = STEPS.indexOf(article.reviewStatus as (typeof STEPS)[number])

  return (
    <article data-article={article.slug}>
      <h1>{article.question}</h1>
      <p className="board-notice" data-board-notice>
        <a href="/advisory-board">Medical Advisory Board</a>: every article is reviewed for accuracy by our Medical Advisory Board.
      </p>
      {pending && policy.cautionBanner ? (
        <p role="note" className="caution" data-caution-banner>
          {policy.cautionBanner}
        </p>
      ) : null}
      <ol className="review-steps" aria-label="Article review status" data-review-steps>
        {STEPS.map((step, index) => (
          <li key={step} aria-current={index === current ? 'step' : undefined} data-step={step} data-current={index === current}>
            {REVIEW_STATE_LABELS[step]}
          </li>
        ))}
      </ol>
      <p data-last-updated>
        Last updated: {formatDate((article.lastUpdated ?? article.updatedAt) as string | null)} · <a href="/editorial-policy">View editorial policy</a>
      </p>
      {/* A caution-mode revision still carries its predecessor's reviewer: it was not reviewed itself. */}
      {reviewer && article.reviewedAt && !pending ? (
        <p data-reviewed-by>
          Medically reviewed by{' '}
          <a href={`/advisory-board#${String(reviewer.slug ?? reviewer.id)}`}>
            {String(reviewer.name)}, {String(reviewer.credentials)}
          </a>{' '}
          on {formatDate(article.reviewedAt as string | null)}
        </p>
      ) : null}
      {article.nextReviewDue ? <p data-next-review>Next review due: {formatDate(article.nextReviewDue as string)}</p> : null}

      <AudienceSwitch current={audience} />
      <section className="answer" data-answer={audience}>
        {audience === 'patient' && article.plainLanguageAnswer ? (
          <p>{String(article.plainLanguageAnswer)}</p>
        ) : (
          <ArticleText data={article.bottomLine as never} references={references as never} />
        )}
      </section>

      <section className="body" data-body>
        <ArticleText data={article.body as never} references={references as never} />
      </section>

      <section aria-labelledby="references-heading" data-references>
        <h2 id="references-heading">References</h2>
        <ol>
          {references.map((reference, index) => (
            <li key={String(reference.id)} id={`ref-${index + 1}`}>
              <span className="reference-type">{REFERENCE_TYPE_LABELS[String(reference.type)] ?? String(reference.type)}</span>{' '}
              <cite>{String(reference.title)}</cite>
              {reference.publisher || reference.year ? `. ${[reference.publisher, reference.year].filter(Boolean).join(', ')}` : ''}
              {reference.doi ? (
                <>
                  {' '}
                  <a href={`https://doi.org/${encodeURIComponent(String(reference.doi)).replace(/%2F/g, '/')}`} rel="nofollow noopener">
                    DOI
                  </a>
                </>
              ) : null}
              {reference.pmid ? (
                <>
                  {' '}
                  <a href={`https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(String(reference.pmid))}/`} rel="nofollow noopener">
                    PMID {String(reference.pmid)}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {related.length > 0 ? (
        <section aria-labelledby="related-heading" data-related>
          <h2 id="related-heading">Related questions</h2>
          <ul>
            {related.map((question) => {
              const answer = question.article
              const text = String(question.question)
              return <li key={String(question.id)}>{answer?.slug ? <a href={`/questions/${answer.slug}`}>{text}</a> : text}</li>
            })}
          </ul>
        </section>
      ) : null}

      {history.length > 0 ? (
        <section aria-labelledby="history-heading" data-edition-history>
          <h2 id="history-heading">Previous versions</h2>
          <ol>
            {history.map((edition) => (
              <li key={String(edition.id)} data-edition={String(edition.id)}>
                {formatDate(edition.reviewedAt ?? edition.publishedAt)}
                {edition.reviewer ? ` · reviewed by ${edition.reviewer}` : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {policy.disclaimer ? (
        <aside aria-labelledby="disclaimer-heading" data-disclaimer>
          <h2 id="disclaimer-heading">Professional medical disclaimer</h2>
          <p>{policy.disclaimer}</p>
        </aside>
      ) : null}
    </article>
  )
}

export default ArticlePage
