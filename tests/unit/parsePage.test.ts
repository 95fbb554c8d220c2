import { describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { parsePage, splitCitations } from '../../seeds/parsePage'

const root = path.resolve(import.meta.dirname, '../..')
const fixture = (name: string) => readFileSync(path.join(root, 'tests/fixtures/pages', name), 'utf8')
const SHARED_SEED = path.resolve(root, '../shared/seeds/000_80199cd83f52bfb5.txt')

describe('splitCitations', () => {
  test('takes trailing citation numbers and keeps closing punctuation apart', () => {
    expect(splitCitations('criteria for ablative therapy 1.')).toEqual({ text: 'criteria for ablative therapy', citations: [1], trailing: '.' })
    expect(splitCitations('track seeding 1, 2')).toEqual({ text: 'track seeding', citations: [1, 2] })
    expect(splitCitations('standard of care for this patient 1:')).toEqual({ text: 'standard of care for this patient', citations: [1], trailing: ':' })
  })
  test('leaves numbers that are part of the words', () => {
    expect(splitCitations('no more than 9 metastases')).toEqual({ text: 'no more than 9 metastases', citations: [] })
    expect(splitCitations('3.6-month benefit')).toEqual({ text: '3.6-month benefit', citations: [] })
  })
})

describe('a pending page with every part', () => {
  const page = parsePage(fixture('pending-hypertension.txt'))

  test('reads the header', () => {
    expect(page.question).toBe('What is the first-line drug treatment for stage 1 hypertension in adults without diabetes?')
    expect(page.boardNotice).toBe('Every article is checked for accuracy by our Medical Advisory Board')
    expect(page.pendingReview).toBe(true)
    expect(page.cautionBanner).toMatch(/pending human review/)
    expect(page.reviewSteps).toEqual(['Submitted', 'Under Review', 'Approved'])
    expect(page.lastUpdated).toBe('2026-03-03')
    expect(page.title).toBe('First-Line Treatment of Stage 1 Hypertension')
  })

  test('reads the answer, headings, paragraphs and bullets with their citations', () => {
    expect(page.bottomLine.citations).toEqual([1, 2])
    expect(page.bottomLine.trailing).toBe('.')
    expect(page.body.map((block) => block.kind)).toEqual(['heading', 'list', 'heading', 'paragraph', 'list'])
    const firstList = page.body[1]
    expect(firstList?.kind === 'list' && firstList.items.map((item) => item.citations)).toEqual([[1], [2], [1]])
    const paragraph = page.body[3]
    expect(paragraph).toEqual({ kind: 'paragraph', text: 'Recheck blood pressure within one month of any change', citations: [1], trailing: ':' })
  })

  test('reads references, including one with no publisher or year', () => {
    expect(page.references).toEqual([
      {
        type: 'guideline',
        title: 'Guideline for the Prevention, Detection, Evaluation, and Management of High Blood Pressure in Adults',
        publisher: 'American College of Cardiology / American Heart Association',
        year: 2017,
      },
      { type: 'systematic_review', title: 'First-line drugs for hypertension', publisher: 'Cochrane Database of Systematic Reviews', year: 2018 },
      { type: 'textbook', title: 'Clinical Hypertension' },
    ])
  })

  test('collapses related questions that differ only in punctuation, and says so', () => {
    expect(page.relatedQuestions).toEqual([
      'How is resistant hypertension managed?',
      'When should ambulatory blood pressure monitoring be used?',
    ])
    expect(page.duplicateRelatedQuestions).toEqual(['How is resistant hypertension managed'])
    expect(page.disclaimer).toBe('For healthcare professionals; verify against primary sources.')
  })

  test('lists a reference that is never cited as a problem', () => {
    expect(page.problems).toEqual([
      'Reference [3] "Clinical Hypertension" is never cited',
      'Related question listed more than once: "How is resistant hypertension managed"',
    ])
  })
})

describe('a minimal page', () => {
  const page = parsePage(fixture('minimal.txt'))
  test('works without header, related questions or disclaimer', () => {
    expect(page.title).toBe(page.question)
    expect(page.pendingReview).toBe(false)
    expect(page.lastUpdated).toBeUndefined()
    expect(page.relatedQuestions).toEqual([])
    expect(page.disclaimer).toBeUndefined()
  })
  test('reports a citation with no reference', () => {
    expect(page.problems).toEqual(['Citation [4] has no entry in the references list (1 listed)'])
  })
})

test('an empty page is refused with a message', () => {
  expect(() => parsePage('\n\n')).toThrow('The page is empty')
})

test('the project demo page parses cleanly: every citation has a reference', () => {
  const page = parsePage(readFileSync(path.join(root, 'seeds/pages/ablation-gallbladder-liver-metastases.txt'), 'utf8'))
  expect(page.references).toHaveLength(3)
  expect(page.problems.filter((problem) => problem.startsWith('Citation'))).toEqual([])
  expect(page.relatedQuestions).toHaveLength(10)
  expect(page.duplicateRelatedQuestions).toHaveLength(1)
  expect(page.pendingReview).toBe(false)
})

// The shared reference page lives outside the repository (CI lays it beside the clone); where it is absent there is nothing to read.
if (existsSync(SHARED_SEED)) describe('the shared reference page', () => {
  const page = parsePage(readFileSync(SHARED_SEED, 'utf8'))
  test('reads its question, status, date and article', () => {
    expect(page.question).toMatch(/^Can interventional ablation be done for liver metastases/)
    expect(page.pendingReview).toBe(true)
    expect(page.lastUpdated).toBe('2025-11-26')
    expect(page.title).toBe('Interventional Ablation for Gallbladder Carcinoma Liver Metastases')
    expect(page.bottomLine.citations).toEqual([1])
    const headings = page.body.filter((block) => block.kind === 'heading').map((block) => block.kind === 'heading' && block.text)
    expect(headings).toContain('Key Clinical Pitfalls to Avoid')
    const bullets = page.body.flatMap((block) => (block.kind === 'list' ? block.items : []))
    expect(bullets).toHaveLength(17)
  })
  test('notices the citation [3] without a reference and the duplicated related question', () => {
    expect(page.references.map((reference) => [reference.type, reference.year])).toEqual([
      ['guideline', 2025],
      ['guideline', 2025],
    ])
    expect(page.relatedQuestions).toHaveLength(10)
    expect(page.problems).toEqual([
      'Citation [3] has no entry in the references list (2 listed)',
      expect.stringMatching(/^Related question listed more than once: "What is the recommended resection strategy/),
    ])
  })
})
