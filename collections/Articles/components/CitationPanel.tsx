import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import { citationReportFor } from '../../../src/workflow/citationCheck'

/** The citation check of the revision being edited, as saved. */
export const CitationPanel: React.FC<UIFieldServerProps> = async ({ data, req }) => {
  if (!req || !data) return null
  const report = await citationReportFor(req, data as Record<string, unknown>)
  return (
    <section data-citation-panel style={{ border: '1px solid var(--theme-elevation-150)', borderRadius: 8, marginBottom: 16, padding: 12 }}>
      <h4 style={{ marginTop: 0 }}>Citation check</h4>
      {report.citations.length === 0 ? <p>No citations in the text.</p> : null}
      <ol style={{ paddingLeft: 18 }}>
        {report.citations.map((citation) => (
          <li key={citation.position} data-citation-number={citation.number}>
            {citation.number > 0 ? `[${citation.number}]` : 'unlisted reference'}
          </li>
        ))}
      </ol>
      {report.problems.length === 0 ? (
        <p data-citations-ok>Every citation points at a listed reference, and every reference is cited.</p>
      ) : (
        <ul data-citation-problem-list>
          {report.problems.map((problem) => (
            <li key={problem.message} data-problem-kind={problem.kind} style={{ color: problem.kind === 'missing_reference' ? 'var(--theme-error-500)' : undefined }}>
              {problem.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
