import type { Metadata } from 'next'
import type React from 'react'

export const metadata: Metadata = {
  title: 'Vetted: medically reviewed answers',
  description: 'Clinical questions answered and reviewed by a medical advisory board.',
}

const SITE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; line-height: 1.55; color: #1f2937 }
a { color: #1d4ed8 }
.site-header a { font-weight: 700; text-decoration: none; font-size: 1.2rem }
.caution { background: #fef3c7; border-left: 4px solid #d97706; padding: .5rem .75rem }
.review-steps { display: flex; gap: .5rem; list-style: none; padding: 0 }
.review-steps li { border: 1px solid #d1d5db; border-radius: 999px; padding: .2rem .8rem; color: #6b7280 }
.review-steps li[aria-current="step"] { background: #dcfce7; border-color: #16a34a; color: #14532d; font-weight: 700 }
.audience { border: 1px solid #e5e7eb; border-radius: 8px; margin: 1rem 0 }
.audience button[aria-pressed="true"] { font-weight: 700 }
.answer { background: #f8fafc; border-radius: 8px; padding: .25rem 1rem; font-size: 1.05rem }
sup.citation a { text-decoration: none; padding: 0 .1rem }
`

const SiteLayout = ({ children }: { children: React.ReactNode }) => (
  <html lang="en">
    <body>
      <style>{SITE_CSS}</style>
      <header className="site-header">
        <a href="/">Vetted</a>
      </header>
      {children}
    </body>
  </html>
)

export default SiteLayout
