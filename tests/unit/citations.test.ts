import { expect, test } from '@jest/globals'

import { checkCitations, citationsIn } from '../../src/rules/citations'

const cite = (reference: unknown) => ({ type: 'inlineBlock', version: 1, fields: { id: 'x', blockType: 'citation', blockName: '', reference } })
const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children })
const state = (...children: unknown[]) => ({ root: { type: 'root', children } })

const references = [
  { id: 1, title: 'Guideline', year: 2025, publisher: 'Board' },
  { id: 2, title: 'Review', year: null, publisher: 'Journal' },
  { id: 3, title: 'Unused', year: 2020, publisher: 'Press' },
]

test('citations are found in reading order across the lead and the body, populated or not', () => {
  const lead = state(paragraph({ type: 'text', text: 'a' }, cite(1)))
  const body = state({ type: 'list', children: [{ type: 'listitem', children: [cite({ id: 2, title: 'Review' }), cite(1)] }] })
  expect(citationsIn(lead, body)).toEqual([1, 2, 1])
})

test('the report numbers citations by the reference list and names every problem', () => {
  const body = state(paragraph(cite(1), cite(2), cite(9), cite(null)))
  const report = checkCitations([null, body], references)
  expect(report.citations.map((citation) => citation.number)).toEqual([1, 2, 0, 0])
  expect(report.problems.map((problem) => problem.message)).toEqual([
    "Citation 3 points at reference 9, which is not in the article's reference list",
    'Citation 4 points at no reference',
    '[2] Review has no year',
    '[3] Unused is never cited',
  ])
  expect(report.blocking.map((problem) => problem.kind)).toEqual(['missing_reference', 'missing_reference'])
})

test('a clean article has no blocking problems', () => {
  const report = checkCitations([state(paragraph(cite(1), cite(2), cite(3)))], references)
  expect(report.blocking).toEqual([])
  expect(report.problems.map((problem) => problem.kind)).toEqual(['incomplete_reference'])
})
