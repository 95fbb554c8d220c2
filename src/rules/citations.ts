/**
 * The citation check: numbered citations in an article's rich text against its ordered reference
 * list. Pure: it reads Lexical JSON and plain reference data.
 */
import { idOf } from './ids'

export type ReferenceSummary = { id: number | string; title?: string | null; year?: number | null; publisher?: string | null }

export type CitationProblem =
  | { kind: 'missing_reference'; position: number; reference: number | string | null; message: string }
  | { kind: 'never_cited'; reference: number | string; number: number; message: string }
  | { kind: 'incomplete_reference'; reference: number | string; number: number; message: string }

export type CitationReport = {
  /** Each citation in reading order, with its number (0 when it points at no listed reference). */
  citations: { position: number; reference: number | string | null; number: number }[]
  problems: CitationProblem[]
  /** Problems that block approval. */
  blocking: CitationProblem[]
}

type LexicalNode = { type?: string; children?: LexicalNode[]; fields?: { blockType?: string; reference?: unknown } }

const collect = (node: LexicalNode | undefined, into: (number | string | null)[]) => {
  if (!node) return
  if (node.type === 'inlineBlock' && node.fields?.blockType === 'citation') into.push(idOf(node.fields.reference))
  for (const child of node.children ?? []) collect(child, into)
}

export const citationsIn = (...states: unknown[]): (number | string | null)[] => {
  const found: (number | string | null)[] = []
  for (const state of states) collect((state as { root?: LexicalNode } | null | undefined)?.root, found)
  return found
}

export const checkCitations = (richTexts: unknown[], references: ReferenceSummary[]): CitationReport => {
  const cited = citationsIn(...richTexts)
  const numberOf = new Map(references.map((reference, index) => [String(reference.id), index + 1]))
  const citations = cited.map((reference, index) => ({
    position: index + 1,
    reference,
    number: reference === null ? 0 : (numberOf.get(String(reference)) ?? 0),
  }))
  const problems: CitationProblem[] = []
  for (const citation of citations) {
    if (citation.number === 0) {
      problems.push({
        kind: 'missing_reference',
        position: citation.position,
        reference: citation.reference,
        message:
          citation.reference === null
            ? `Citation ${citation.position} points at no reference`
            : `Citation ${citation.position} points at reference ${String(citation.reference)}, which is not in the article's reference list`,
      })
    }
  }
  const citedIds = new Set(cited.filter((id) => id !== null).map(String))
  references.forEach((reference, index) => {
    const label = `[${index + 1}] ${reference.title ?? `reference ${String(reference.id)}`}`
    if (!citedIds.has(String(reference.id))) problems.push({ kind: 'never_cited', reference: reference.id, number: index + 1, message: `${label} is never cited` })
    const missing = [reference.year ? null : 'year', reference.publisher ? null : 'publisher'].filter(Boolean)
    if (missing.length > 0) problems.push({ kind: 'incomplete_reference', reference: reference.id, number: index + 1, message: `${label} has no ${missing.join(' or ')}` })
  })
  return { citations, problems, blocking: problems.filter((problem) => problem.kind === 'missing_reference') }
}
