/**
 * Reads a question page in the plain-text form our seed pages come in (a page's text as a browser
 * copies it): question, board notice, review steps, "Last updated", the article with bullets and
 * trailing citation numbers, references, related questions and a disclaimer. Pure.
 */
import { normalizeQuestion } from '../src/rules/text'

/** A sentence whose citation numbers stood at its end, before any closing punctuation (`trailing`). */
export type CitedText = { text: string; citations: number[]; trailing?: string }

export type PageBlock =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | ({ kind: 'paragraph' } & CitedText)
  | { kind: 'list'; items: CitedText[] }

export type ReferenceType =
  | 'guideline'
  | 'systematic_review'
  | 'journal_article'
  | 'case_report'
  | 'textbook'
  | 'website'
  | 'other'

export type PageReference = { type: ReferenceType; title: string; publisher?: string; year?: number }

export type ParsedPage = {
  question: string
  title: string
  boardNotice?: string
  /** The page said its content is pending human review. */
  pendingReview: boolean
  cautionBanner?: string
  reviewSteps: string[]
  lastUpdated?: string
  bottomLine: CitedText
  body: PageBlock[]
  references: PageReference[]
  relatedQuestions: string[]
  duplicateRelatedQuestions: string[]
  disclaimer?: string
  /** What a reviewer should know: citations with no reference, references never cited, duplicates. */
  problems: string[]
}

const REFERENCE_TYPE_LABELS: Record<string, ReferenceType> = {
  guideline: 'guideline',
  'systematic review': 'systematic_review',
  'meta-analysis': 'systematic_review',
  'journal article': 'journal_article',
  research: 'journal_article',
  'case report': 'case_report',
  textbook: 'textbook',
  website: 'website',
  other: 'other',
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

const BULLET = /^\s*[•·▪\-*]\s+/
const TRAILING_CITATIONS = /\s+(\d{1,3}(?:\s*,\s*\d{1,3})*)\s*([.:;]?)\s*$/
const SECTION_END = new Set(['references', 'related questions', 'professional medical disclaimer', 'have a follow-up question?'])
const PAGE_CHROME = new Set(['personalize', 'help us tailor your experience'])

export const splitCitations = (line: string): CitedText => {
  const match = TRAILING_CITATIONS.exec(line)
  if (!match?.[1]) return { text: line.trim(), citations: [] }
  const citations = match[1].split(',').map((n) => Number(n.trim()))
  const text = line.slice(0, match.index).trim()
  return match[2] ? { text, citations, trailing: match[2] } : { text, citations }
}

const parseLongDate = (text: string): string | undefined => {
  const match = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(text)
  if (!match?.[1] || !match[2] || !match[3]) return undefined
  const month = MONTHS.indexOf(match[1].toLowerCase())
  if (month < 0) return undefined
  const date = new Date(Date.UTC(Number(match[3]), month, Number(match[2])))
  return date.toISOString().slice(0, 10)
}

/** Lines grouped into paragraphs: blank lines separate, bullets stand alone. */
const toParagraphs = (lines: string[]): string[] => lines.map((line) => line.replace(/\s+$/, '')).filter((line) => line.trim() !== '')

const isHeadingLike = (line: string): boolean =>
  !BULLET.test(line) && line.length <= 120 && !/[.:;!?]$/.test(line.trim()) && splitCitations(line).citations.length === 0

export const parsePage = (source: string): ParsedPage => {
  const lines = toParagraphs(source.replace(/\r\n?/g, '\n').split('\n'))
  const problems: string[] = []
  const lower = (i: number) => lines[i]?.trim().toLowerCase() ?? ''
  const indexOf = (label: string, from = 0) => {
    for (let i = from; i < lines.length; i++) if (lower(i) === label) return i
    return -1
  }

  const question = lines[0]?.trim()
  if (!question) throw new Error('The page is empty: its first line must be the question')

  let cursor = 1
  let boardNotice: string | undefined
  let cautionBanner: string | undefined
  let lastUpdated: string | undefined
  const reviewSteps: string[] = []

  // The header: everything up to the audience prompt.
  const promptIndex = lines.findIndex((line) => /^which best describes you\?/i.test(line.trim()))
  const headerEnd = promptIndex >= 0 ? promptIndex + 1 : 1
  for (let i = 1; i < headerEnd; i++) {
    const line = lines[i]!.trim()
    if (/^medical advisory board/i.test(line)) boardNotice = line.replace(/^medical advisory board/i, '').trim()
    else if (/pending (human )?review/i.test(line)) cautionBanner = line
    else if (/^article review status$/i.test(line)) {
      for (let j = i + 1; j < headerEnd && ['submitted', 'under review', 'approved'].includes(lower(j)); j++) {
        reviewSteps.push(lines[j]!.trim())
        i = j
      }
    } else if (/^last updated:/i.test(line)) lastUpdated = parseLongDate(line)
  }
  cursor = headerEnd

  const articleEnd = (() => {
    for (let i = cursor; i < lines.length; i++) if (SECTION_END.has(lower(i))) return i
    return lines.length
  })()
  const articleLines = lines.slice(cursor, articleEnd).filter((line) => !PAGE_CHROME.has(line.trim().toLowerCase()))

  const title = articleLines[0] && isHeadingLike(articleLines[0]) ? articleLines.shift()!.trim() : question
  const lead = articleLines.shift()
  if (!lead) throw new Error('The page has no answer after its title')
  const bottomLine = splitCitations(lead)

  const body: PageBlock[] = []
  for (let i = 0; i < articleLines.length; i++) {
    const line = articleLines[i]!
    if (BULLET.test(line)) {
      const item = splitCitations(line.replace(BULLET, ''))
      const last = body[body.length - 1]
      if (last?.kind === 'list') last.items.push(item)
      else body.push({ kind: 'list', items: [item] })
    } else if (isHeadingLike(line)) {
      const previous = body[body.length - 1]
      const level = previous?.kind === 'heading' && previous.level === 2 ? 3 : 2
      body.push({ kind: 'heading', level, text: line.trim() })
    } else body.push({ kind: 'paragraph', ...splitCitations(line) })
  }

  const references: PageReference[] = []
  const referencesStart = indexOf('references', articleEnd)
  if (referencesStart >= 0) {
    let i = referencesStart + 1
    while (i < lines.length && !SECTION_END.has(lower(i))) {
      const type = REFERENCE_TYPE_LABELS[lower(i)]
      const title = lines[i + 1]?.trim()
      if (!type || !title) {
        problems.push(`Reference entry not understood: "${lines[i]!.trim()}"`)
        i++
        continue
      }
      const entry: PageReference = { type, title }
      i += 2
      const sourceLine = lines[i]?.trim()
      if (sourceLine && !REFERENCE_TYPE_LABELS[sourceLine.toLowerCase()] && !SECTION_END.has(sourceLine.toLowerCase())) {
        const match = /^(.*?),?\s*(\d{4})$/.exec(sourceLine)
        if (match?.[2]) {
          if (match[1]) entry.publisher = match[1].trim()
          entry.year = Number(match[2])
        } else entry.publisher = sourceLine
        i++
      }
      references.push(entry)
    }
  }

  const relatedQuestions: string[] = []
  const duplicateRelatedQuestions: string[] = []
  const relatedStart = indexOf('related questions', articleEnd)
  if (relatedStart >= 0) {
    const seen = new Set<string>()
    for (let i = relatedStart + 1; i < lines.length && !SECTION_END.has(lower(i)); i++) {
      const text = lines[i]!.trim()
      const key = normalizeQuestion(text)
      if (seen.has(key)) duplicateRelatedQuestions.push(text)
      else {
        seen.add(key)
        relatedQuestions.push(text)
      }
    }
  }

  const disclaimerStart = indexOf('professional medical disclaimer', articleEnd)
  const disclaimer = disclaimerStart >= 0 && !SECTION_END.has(lower(disclaimerStart + 1)) ? lines[disclaimerStart + 1]?.trim() : undefined

  const cited = new Set<number>([
    ...bottomLine.citations,
    ...body.flatMap((block) =>
      block.kind === 'paragraph' ? block.citations : block.kind === 'list' ? block.items.flatMap((item) => item.citations) : [],
    ),
  ])
  for (const n of [...cited].sort((a, b) => a - b)) {
    if (n < 1 || n > references.length) problems.push(`Citation [${n}] has no entry in the references list (${references.length} listed)`)
  }
  references.forEach((reference, index) => {
    if (!cited.has(index + 1)) problems.push(`Reference [${index + 1}] "${reference.title}" is never cited`)
  })
  for (const duplicate of duplicateRelatedQuestions) problems.push(`Related question listed more than once: "${duplicate}"`)

  return {
    question,
    title,
    boardNotice,
    pendingReview: cautionBanner !== undefined,
    cautionBanner,
    reviewSteps,
    lastUpdated,
    bottomLine,
    body,
    references,
    relatedQuestions,
    duplicateRelatedQuestions,
    disclaimer,
    problems,
  }
}
