import type { PayloadRequest } from 'payload'

import { checkCitations, type CitationReport } from '../rules/citations'
import { idsOf } from '../rules/ids'

/** Runs the citation check on an article's data, loading its listed references. */
export const citationReportFor = async (req: PayloadRequest, article: Record<string, unknown>): Promise<CitationReport> => {
  const ids = idsOf(article.references)
  const { docs } = ids.length
    ? await req.payload.find({
        collection: 'references',
        where: { id: { in: ids } },
        limit: ids.length,
        pagination: false,
        depth: 0,
        overrideAccess: true,
        req,
      })
    : { docs: [] }
  const byId = new Map(docs.map((doc) => [String(doc.id), doc]))
  const references = ids.map((id) => byId.get(String(id)) ?? { id })
  return checkCitations([article.bottomLine, article.body], references)
}
