import {
  BlocksFeature,
  BoldFeature,
  FixedToolbarFeature,
  InlineToolbarFeature,
  ItalicFeature,
  lexicalEditor,
  LinkFeature,
  ParagraphFeature,
} from '@payloadcms/richtext-lexical'

import { CitationBlock } from './blocks/Citation'

const citations = BlocksFeature({ inlineBlocks: [CitationBlock] })
const internalLinks = LinkFeature({ enabledCollections: ['articles'] })

/** Features that could embed other documents or files in public content. */
const EXCLUDED_FEATURES = new Set(['upload', 'relationship', 'link'])

/** The article body: headings, lists and links, with citations as inline blocks. */
export const articleBodyEditor = lexicalEditor({
  features: ({ defaultFeatures }) => [
    ...defaultFeatures.filter((feature) => !EXCLUDED_FEATURES.has(feature.key)),
    internalLinks,
    FixedToolbarFeature(),
    citations,
  ],
})

/** The bottom line: one or two paragraphs, emphasis and citations only. */
export const leadAnswerEditor = lexicalEditor({
  features: () => [ParagraphFeature(), BoldFeature(), ItalicFeature(), internalLinks, InlineToolbarFeature(), citations],
})
