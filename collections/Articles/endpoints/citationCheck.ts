import { Forbidden, NotFound, type Endpoint } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'
import { citationReportFor } from '../../../src/workflow/citationCheck'

/** `GET /api/articles/:id/citation-check`: the citation check of the newest revision, for staff. */
export const citationCheckEndpoint: Endpoint = {
  path: '/:id/citation-check',
  method: 'get',
  handler: async (req) => {
    if (!isStaffUser(req.user)) throw new Forbidden(req.t)
    const id = req.routeParams?.id
    const article = await req.payload
      .findByID({ collection: 'articles', id: String(id), draft: true, depth: 0, overrideAccess: true, req, disableErrors: true })
      .catch(() => null)
    if (!article) throw new NotFound(req.t)
    return Response.json(await citationReportFor(req, article as unknown as Record<string, unknown>))
  },
}
